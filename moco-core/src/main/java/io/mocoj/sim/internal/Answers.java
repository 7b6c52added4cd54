package io.mocoj.sim.internal;

import io.mocoj.task.Example;
import io.mocoj.task.TaskType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Answer comparison and the wrong answers a simulated model gives.
 *
 * <p>For exact / F1 match each example gets a fixed list of {@code pool} wrong candidates (a
 * function of the task only, the same for every model), and a wrong model picks one uniformly,
 * so two wrong models agree with probability 1/pool. Numeric golds get nearby numbers
 * (gold ± 1, ± 2, … in the gold's last decimal place); other golds get other examples' gold
 * answers (distinct, different from every gold of this example after normalisation), taken
 * cyclically from a start point hashed from the example; when the task has too few distinct
 * answers the list is completed with {@code not <gold>}, {@code <gold> 2}, … .
 */
public final class Answers {
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern PUNCT = Pattern.compile("\\p{Punct}");

    private Answers() {}

    /** MoCo's normalisation: lower case, ASCII punctuation stripped, a/an/the removed, white space collapsed. */
    public static String normalize(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        t = PUNCT.matcher(t).replaceAll("");
        t = ARTICLES.matcher(t).replaceAll(" ");
        return t.strip().replaceAll("\\s+", " ");
    }

    /** Whether the task type has answers a simulated model can get right or wrong as a short string. */
    public static boolean discrete(TaskType type, Example e) {
        return switch (type) {
            case MULTIPLE_CHOICE -> true;
            case EXACT_MATCH, F1_MATCH, GENERAL_VERIFIER -> !e.choices().isEmpty() || !e.answers().isEmpty();
            default -> false;
        };
    }

    /** Whether the example is answered as multiple choice (letters). */
    public static boolean letterAnswer(TaskType type, Example e) {
        return type == TaskType.MULTIPLE_CHOICE || (type == TaskType.GENERAL_VERIFIER && !e.choices().isEmpty());
    }

    /** The option letters of an MCQ example, A–D when it lists none. */
    public static List<String> letters(Example e) {
        if (!e.choices().isEmpty()) return List.copyOf(e.choices().keySet());
        return List.of("A", "B", "C", "D");
    }

    /** Whether {@code answer} counts as correct for the example (letter equality or normalised equality with any gold). */
    public static boolean matchesGold(Example e, String answer, boolean letter) {
        if (letter) return answer.strip().equalsIgnoreCase(e.answer().strip());
        String n = normalize(answer);
        for (String g : e.answers()) if (normalize(g).equals(n)) return true;
        return false;
    }

    /** Wrong candidates for every example with free-text answers, keyed by example index. */
    public static Map<Integer, List<String>> wrongCandidates(List<Example> examples, List<Long> exampleKeys, int pool) {
        List<String> distinct = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Example e : examples) {
            if (e.answers().isEmpty()) continue;
            String a = e.answer();
            if (seen.putIfAbsent(normalize(a), Boolean.TRUE) == null) distinct.add(a);
        }
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.answers().isEmpty() || !e.choices().isEmpty()) continue;
            out.put(i, candidatesFor(e, distinct, exampleKeys.get(i), pool));
        }
        return out;
    }

    static List<String> candidatesFor(Example e, List<String> distinct, long key, int pool) {
        List<String> golds = new ArrayList<>();
        for (String g : e.answers()) golds.add(normalize(g));
        List<String> out = new ArrayList<>(pool);
        String gold = e.answer().strip();
        if (NUMBER.matcher(gold).matches()) {
            BigDecimal g = new BigDecimal(gold.startsWith("+") ? gold.substring(1) : gold);
            BigDecimal step = BigDecimal.ONE.movePointLeft(Math.max(0, g.scale()));
            for (int k = 1; out.size() < pool && k < 1000; k++) {
                for (int sign : new int[] {1, -1}) {
                    if (out.size() >= pool) break;
                    String c = g.add(step.multiply(BigDecimal.valueOf((long) sign * k))).toPlainString();
                    if (!golds.contains(normalize(c)) && !out.contains(c)) out.add(c);
                }
            }
            return out;
        }
        if (!distinct.isEmpty()) {
            int start = Draws.below(key, distinct.size());
            for (int k = 0; k < distinct.size() && out.size() < pool; k++) {
                String c = distinct.get((start + k) % distinct.size());
                String n = normalize(c);
                if (golds.contains(n)) continue;
                boolean dup = false;
                for (String o : out) dup |= normalize(o).equals(n);
                if (!dup) out.add(c);
            }
        }
        for (int k = 1; out.size() < pool; k++) {
            String c = k == 1 ? "not " + gold : gold + " " + k;
            if (!golds.contains(normalize(c))) out.add(c);
        }
        return out;
    }
}
