package io.mocoj.sim.internal;

import io.mocoj.model.TokenLogprob;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The texts a simulated model writes, its pseudo-tokens and their log-probabilities. */
public final class Texts {
    private Texts() {}

    private static final String[] SYLLABLES = {"zor", "vat", "plen", "quo", "drix", "mul", "tesh", "kra", "bim", "yol",
            "fen", "gasp", "wub", "snar", "trel", "oop", "xil", "brun"};
    private static final String[] FILLER = {"considering", "the", "question", "carefully", "and", "checking", "each",
            "step", "of", "reasoning", "before", "committing", "to", "final", "result", "given", "what", "is", "known"};
    private static final String[] ALTERNATIVE_TOKENS = {" the", " a", ",", ".", " and", " of", " to", " is", "\n", " it"};
    private static final Pattern DEF = Pattern.compile("(?m)^\\s*def\\s+([A-Za-z_]\\w*)\\s*\\(([^)]*)\\)");
    private static final Pattern ASSERT_CALL = Pattern.compile("assert\\s+([A-Za-z_]\\w*)\\s*\\(");

    /** Garbage: 6–13 pseudo-words of 2–3 syllables, lower case, no punctuation (no extraction rule finds an answer in it). */
    public static String garbage(long h) {
        int words = 6 + Draws.below(Draws.combine(h, 1), 8);
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(' ');
            int syl = 2 + Draws.below(Draws.combine(h, 100 + w), 2);
            for (int s = 0; s < syl; s++) sb.append(SYLLABLES[Draws.below(Draws.combine(h, 1000 + w * 8L + s), SYLLABLES.length)]);
        }
        return sb.toString();
    }

    /** {@code n} filler words without punctuation, then a newline; "" for n = 0. */
    public static String filler(long h, int n) {
        if (n <= 0) return "";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(FILLER[Draws.below(Draws.combine(h, i), FILLER.length)]);
        }
        return sb.append('\n').toString();
    }

    /** A fenced python block: the solution, or a stub with the function's signature that fails any test. */
    public static String code(String input, String solution) {
        if (solution != null) return "```python\n" + solution.strip() + "\n```";
        String name = "solution";
        String params = "*args";
        Matcher m = DEF.matcher(input);
        boolean found = false;
        while (m.find()) {
            name = m.group(1);
            params = m.group(2).strip();
            found = true;
        }
        if (!found) {
            Matcher a = ASSERT_CALL.matcher(input);
            if (a.find()) name = a.group(1);
        }
        return "Here is my implementation.\n\n```python\ndef " + name + "(" + params + "):\n"
                + "    raise NotImplementedError(\"not solved\")\n```";
    }

    /**
     * Splits text into pseudo-tokens: a run of letters/digits, or one other non-space character,
     * each with the white space before it. Concatenating the tokens gives the text back.
     */
    public static List<String> pseudoTokens(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i == n) {
                if (out.isEmpty()) out.add(text.substring(start));
                else out.set(out.size() - 1, out.get(out.size() - 1) + text.substring(start));
                break;
            }
            if (Character.isLetterOrDigit(text.charAt(i))) {
                while (i < n && Character.isLetterOrDigit(text.charAt(i))) i++;
            } else {
                i += Character.charCount(text.codePointAt(i));
            }
            out.add(text.substring(start, i));
        }
        return out;
    }

    /**
     * Log-probabilities whose token probabilities average exactly {@code confidence}: token i gets
     * {@code c + a·(v_i − mean v)} with {@code v_i} uniform in [0, 1) and {@code a = 0.9·min(c, 1 − c)},
     * so every probability stays inside (0, 1). With {@code top > 0} each token lists {@code top}
     * entries in decreasing probability: itself and alternatives holding (1 − p)/2, (1 − p)/4, … .
     */
    public static List<TokenLogprob> logprobs(List<String> tokens, double confidence, long h, int top, List<String> letterAlternatives) {
        int n = tokens.size();
        double[] v = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            v[i] = Draws.uniform(Draws.mix(Draws.combine(h, i)));
            mean += v[i];
        }
        mean /= Math.max(1, n);
        double a = 0.9 * Math.min(confidence, 1 - confidence);
        List<TokenLogprob> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String tok = tokens.get(i);
            double p = confidence + a * (v[i] - mean);
            List<TokenLogprob.Alternative> alts = List.of();
            if (top > 0) alts = alternatives(tok, p, top, letterAlternatives);
            out.add(new TokenLogprob(tok, Math.log(p), alts));
        }
        return out;
    }

    private static List<TokenLogprob.Alternative> alternatives(String tok, double p, int top, List<String> letters) {
        List<String> pool = new ArrayList<>();
        String bare = tok.strip();
        if (letters.contains(bare)) {
            String lead = tok.substring(0, tok.indexOf(bare));
            for (String l : letters) if (!l.equals(bare)) pool.add(lead + l);
        }
        for (String s : ALTERNATIVE_TOKENS) if (!s.equals(tok) && !pool.contains(s)) pool.add(s);
        List<TokenLogprob.Alternative> all = new ArrayList<>();
        all.add(new TokenLogprob.Alternative(tok, Math.log(p)));
        double mass = 1 - p;
        for (int j = 0; j < top && j < pool.size(); j++) {
            mass /= 2;
            all.add(new TokenLogprob.Alternative(pool.get(j), Math.log(mass)));
        }
        all.sort((x, y) -> Double.compare(y.logprob(), x.logprob()));
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }
}
