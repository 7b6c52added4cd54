package io.mocoj.eval.internal.ifeval;

import io.mocoj.eval.internal.PyText;
import io.mocoj.task.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One IFEval item's instructions, read from an example's fields, and its scoring in both modes. */
public record IfEvalItem(List<String> ids, List<Map<String, Object>> kwargs) {

    /** Followed of total instructions, and which failed. */
    public record Result(int followed, int total, String detail) {
        public double share() { return total == 0 ? 1.0 : (double) followed / total; }
    }

    /** Strict and loose results, or why the item cannot be checked. */
    public record Official(Result strict, Result loose, String unverifiable) {}

    /** Reads {@code instruction_id_list} (strings) and {@code kwargs} (objects or null) from the example. */
    @SuppressWarnings("unchecked")
    public static IfEvalItem of(Example e) {
        Object ids = e.fields().get("instruction_id_list");
        Object kw = e.fields().get("kwargs");
        if (!(ids instanceof List<?> idList)) throw new IllegalArgumentException("instruction_id_list must be a list of instruction ids, found " + ids);
        if (!(kw instanceof List<?> kwList)) throw new IllegalArgumentException("kwargs must be a list of objects, found " + kw);
        List<String> outIds = new ArrayList<>();
        for (Object o : idList) {
            if (!(o instanceof String s)) throw new IllegalArgumentException("instruction_id_list holds a non-string: " + o);
            outIds.add(s);
        }
        List<Map<String, Object>> outKw = new ArrayList<>();
        for (Object o : kwList) {
            if (o != null && !(o instanceof Map)) throw new IllegalArgumentException("kwargs holds a non-object: " + o);
            outKw.add((Map<String, Object>) o);
        }
        return new IfEvalItem(outIds, outKw);
    }

    /**
     * MoCo: instructions paired with kwargs up to the shorter list; unknown ids count as followed, a checker
     * that throws counts as not followed; no instructions at all scores 1.
     */
    public Result scoreMoco(String response) {
        if (ids.isEmpty()) return new Result(0, 0, "no instructions");
        int n = Math.min(ids.size(), kwargs.size());
        int followed = 0;
        List<String> failed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean ok;
            try {
                Optional<Boolean> r = MocoRules.check(ids.get(i), response, new Kwargs(kwargs.get(i)));
                if (r.isEmpty()) unknown.add(ids.get(i));
                ok = r.orElse(true);
            } catch (RuntimeException ex) {
                ok = false;
            }
            if (ok) followed++;
            else failed.add(ids.get(i));
        }
        String detail = followed + "/" + n + (failed.isEmpty() ? "" : " not followed: " + String.join(", ", failed))
                + (unknown.isEmpty() ? "" : "; unknown ids counted as followed: " + String.join(", ", unknown));
        return new Result(followed, n, detail);
    }

    /** Official: every instruction strict and loose (the loose response variants of the IFEval paper). */
    public Official scoreOfficial(String response) {
        if (ids.size() != kwargs.size()) {
            return new Official(null, null, ids.size() + " instruction ids but " + kwargs.size() + " kwargs objects");
        }
        List<String> variants = looseVariants(response);
        int strict = 0, loose = 0;
        List<String> strictFailed = new ArrayList<>(), looseFailed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Kwargs kw = new Kwargs(withoutEmpty(kwargs.get(i)));
            try {
                boolean s = !PyText.strip(response).isEmpty() && OfficialRules.check(id, response, kw);
                boolean l = false;
                for (String v : variants) {
                    if (!PyText.strip(v).isEmpty() && OfficialRules.check(id, v, kw)) {
                        l = true;
                        break;
                    }
                }
                if (s) strict++;
                else strictFailed.add(id);
                if (l) loose++;
                else looseFailed.add(id);
            } catch (UnsupportedOperationException ex) {
                return new Official(null, null, id + ": " + ex.getMessage());
            } catch (RuntimeException ex) {
                strictFailed.add(id + " (" + ex.getMessage() + ")");
                looseFailed.add(id);
            }
        }
        return new Official(result(strict, strictFailed), result(loose, looseFailed), null);
    }

    private Result result(int followed, List<String> failed) {
        return new Result(followed, ids.size(), followed + "/" + ids.size() + (failed.isEmpty() ? "" : " not followed: " + String.join(", ", failed)));
    }

    /** The official harness drops kwargs whose value is empty or null before building an instruction. */
    private static Map<String, Object> withoutEmpty(Map<String, Object> kw) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (kw == null) return out;
        kw.forEach((k, v) -> {
            boolean empty = v == null || (v instanceof String s && s.isEmpty()) || (v instanceof Number n && n.doubleValue() == 0)
                    || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Boolean b && !b);
            if (!empty) out.put(k, v);
        });
        return out;
    }

    /** The response, without its first line, its last line or both, each also with every {@code *} removed. */
    static List<String> looseVariants(String response) {
        String[] lines = response.split("\n", -1);
        String removeFirst = PyText.strip(String.join("\n", java.util.Arrays.asList(lines).subList(Math.min(1, lines.length), lines.length)));
        String removeLast = PyText.strip(String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.max(0, lines.length - 1))));
        String removeBoth = PyText.strip(String.join("\n", java.util.Arrays.asList(lines).subList(Math.min(1, lines.length),
                Math.max(Math.min(1, lines.length), lines.length - 1))));
        return List.of(response, response.replace("*", ""), removeFirst, removeLast, removeBoth,
                removeFirst.replace("*", ""), removeLast.replace("*", ""), removeBoth.replace("*", ""));
    }
}
