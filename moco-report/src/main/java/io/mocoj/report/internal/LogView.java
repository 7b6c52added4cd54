package io.mocoj.report.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.mocoj.eval.Aggregation;
import io.mocoj.eval.PairedComparison;
import io.mocoj.task.Score;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A run log read tolerantly: the fields every MoCo-J run log has are typed here; anything else
 * (fields a newer writer adds) stays available as raw JSON so the report can still show it.
 */
public record LogView(JsonNode root, String method, String task, String taskType, List<SystemRow> systems,
                      List<ModelLatency> latencies, List<ExampleRow> examples, List<String> warnings,
                      Optional<Paired> paired) {

    /** Top-level keys this view types; every other key is shown as run information. */
    static final Set<String> KNOWN_KEYS = Set.of("method", "hyperparameters", "task", "taskType", "models", "settings",
            "examples", "summary", "baselines", "trace", "wallTime", "warnings");

    /** Example keys shown in their own place; every other key is shown as extra detail. */
    static final Set<String> KNOWN_EXAMPLE_KEYS = Set.of("index", "id", "prompt", "output", "extracted", "score",
            "scoreFailed", "error", "group");

    /** One row of the comparison table: the method or one model alone. */
    public record SystemRow(String name, boolean isMethod, int n, int failed, double mean, double low, double high,
                            Map<String, double[]> groups, long calls, long tokens, Double cost, double wallSeconds,
                            long lostCalls, Long lostVotes) {}

    /** Latency of one model over the calls actually sent (all phases). */
    public record ModelLatency(String model, long sentCalls, double meanMs, double p95Ms) {}

    /**
     * One test example: the method's result, each single model's result on it, and how the method
     * did against the best single model ("win", "loss", "tie" or "" without baselines).
     */
    public record ExampleRow(int index, String id, String prompt, String group, Result method,
                             Map<String, Result> singles, String outcome, JsonNode raw) {}

    /** One system's answer to one example. */
    public record Result(String output, String extracted, double score, boolean scoreFailed, String error) {}

    /** The paired comparison of the method with the best single model. */
    public record Paired(String against, int wins, int ties, int losses, double meanDifference, double low, double high,
                         double pValue, OptionalDouble mcNemar, boolean fromLog) {}

    /** Reads a parsed run log. Fails with a clear message when it is not a MoCo-J run log. */
    public static LogView of(JsonNode root) {
        if (root == null || !root.isObject() || !root.has("summary") || !root.has("examples")) {
            throw new IllegalArgumentException("not a MoCo-J run log: it needs the top-level keys \"summary\" and \"examples\""
                    + " (give the .json file a run wrote into its log directory)");
        }
        String method = text(root, "method", "method");
        List<SystemRow> systems = new ArrayList<>();
        systems.add(row(method, true, root.path("summary")));
        Map<String, Map<Integer, Result>> singleResults = new LinkedHashMap<>();
        for (JsonNode b : root.path("baselines")) {
            String model = text(b, "model", "?");
            systems.add(row(model, false, b.path("summary")));
            Map<Integer, Result> byIndex = new LinkedHashMap<>();
            for (JsonNode e : b.path("examples")) byIndex.put(e.path("index").asInt(), result(e));
            singleResults.put(model, byIndex);
        }
        String best = systems.stream().filter(s -> !s.isMethod()).max(Comparator.comparingDouble(SystemRow::mean))
                .map(SystemRow::name).orElse(null);

        List<ExampleRow> examples = new ArrayList<>();
        for (JsonNode e : root.path("examples")) {
            int index = e.path("index").asInt();
            Result m = result(e);
            Map<String, Result> singles = new LinkedHashMap<>();
            singleResults.forEach((model, byIndex) -> { if (byIndex.containsKey(index)) singles.put(model, byIndex.get(index)); });
            String outcome = "";
            if (best != null && singles.containsKey(best)) {
                double d = m.score() - singles.get(best).score();
                outcome = d > 1e-12 ? "win" : d < -1e-12 ? "loss" : "tie";
            }
            examples.add(new ExampleRow(index, text(e, "id", Integer.toString(index)), text(e, "prompt", ""),
                    text(e, "group", null), m, singles, outcome, e));
        }
        List<String> warnings = new ArrayList<>();
        root.path("warnings").forEach(w -> warnings.add(w.isTextual() ? w.asText() : w.toString()));
        return new LogView(root, method, text(root, "task", "?"), text(root, "taskType", ""), List.copyOf(systems),
                latencies(root), List.copyOf(examples), List.copyOf(warnings), paired(root, best, examples, singleResults));
    }

    /** The single model with the highest mean, if the run had baselines. */
    public Optional<SystemRow> bestSingle() {
        return systems.stream().filter(s -> !s.isMethod()).max(Comparator.comparingDouble(SystemRow::mean));
    }

    /** Every group name of any system, sorted. */
    public List<String> groupNames() {
        Set<String> names = new java.util.TreeSet<>();
        systems.forEach(s -> names.addAll(s.groups().keySet()));
        return List.copyOf(names);
    }

    /**
     * What the log says about a degraded run (a model that failed and the run went on), or empty
     * when it says nothing or says the run was healthy.
     */
    public Optional<JsonNode> degraded() {
        JsonNode d = root.path("degraded");
        if (d.isMissingNode() || d.isNull()) return Optional.empty();
        if (d.isBoolean()) return d.asBoolean() ? Optional.of(d) : Optional.empty();
        if ((d.isArray() || d.isObject()) && d.isEmpty()) return Optional.empty();
        return Optional.of(d);
    }

    /** The top-level entries this view does not type (run information a newer log carries). */
    public Map<String, JsonNode> extraInfo() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.fields().forEachRemaining(f -> {
            if (!KNOWN_KEYS.contains(f.getKey()) && !f.getKey().equals("degraded")) out.put(f.getKey(), f.getValue());
        });
        return out;
    }

    /** The names of the models of the pool, in pool order. */
    public List<String> modelNames() {
        Set<String> names = new LinkedHashSet<>();
        root.path("models").forEach(m -> names.add(text(m, "name", "?")));
        return List.copyOf(names);
    }

    /** The models of the pool that are simulated. */
    public List<String> simulatedModels() {
        List<String> out = new ArrayList<>();
        root.path("models").forEach(m -> { if (m.path("simulated").asBoolean(false)) out.add(text(m, "name", "?")); });
        return out;
    }

    private static SystemRow row(String name, boolean isMethod, JsonNode s) {
        Map<String, double[]> groups = new java.util.TreeMap<>();
        s.path("byGroup").fields().forEachRemaining(f -> groups.put(f.getKey(),
                new double[] {f.getValue().path("n").asDouble(), num(f.getValue().path("mean"))}));
        long calls = 0, tokens = 0, lostCalls = 0;
        double cost = 0;
        boolean costKnown = true;
        for (JsonNode u : s.path("usage")) {
            long c = u.path("calls").asLong();
            calls += c;
            lostCalls += u.path("failedCalls").asLong();
            tokens += u.path("promptTokens").asLong() + u.path("completionTokens").asLong();
            if (c == 0) continue;
            double uc = num(u.path("cost"));
            if (Double.isNaN(uc)) costKnown = false; else cost += uc;
        }
        JsonNode ci = s.path("interval");
        return new SystemRow(name, isMethod, s.path("n").asInt(), s.path("failed").asInt(), num(s.path("mean")),
                num(ci.path("low")), num(ci.path("high")), groups, calls, tokens, costKnown ? cost : null,
                num(s.path("wallTime")), lostCalls, s.hasNonNull("lostVotes") ? s.get("lostVotes").asLong() : null);
    }

    private static List<ModelLatency> latencies(JsonNode root) {
        Map<String, double[]> acc = new LinkedHashMap<>(); // sent, sum of latency, max p95
        List<JsonNode> summaries = new ArrayList<>();
        summaries.add(root.path("summary"));
        root.path("baselines").forEach(b -> summaries.add(b.path("summary")));
        for (JsonNode s : summaries) {
            for (JsonNode u : s.path("usage")) {
                long sent = u.path("calls").asLong() - u.path("cachedCalls").asLong();
                double[] a = acc.computeIfAbsent(text(u, "model", "?"), k -> new double[3]);
                if (sent <= 0) continue;
                a[0] += sent;
                a[1] += sent * num(u.path("meanLatencyMs"));
                a[2] = Math.max(a[2], num(u.path("p95LatencyMs")));
            }
        }
        List<ModelLatency> out = new ArrayList<>();
        acc.forEach((m, a) -> out.add(new ModelLatency(m, (long) a[0], a[0] > 0 ? a[1] / a[0] : 0, a[2])));
        return List.copyOf(out);
    }

    private static Optional<Paired> paired(JsonNode root, String best, List<ExampleRow> examples,
                                           Map<String, Map<Integer, Result>> singles) {
        if (best == null) return Optional.empty();
        for (String key : List.of("comparison", "pairedComparison", "paired")) {
            JsonNode c = root.path(key);
            if (c.isObject() && c.has("wins") && c.has("losses")) {
                JsonNode mc = c.path("mcNemarPValue");
                return Optional.of(new Paired(text(c, "against", text(c, "model", best)), c.path("wins").asInt(),
                        c.path("ties").asInt(), c.path("losses").asInt(), num(c.path("meanDifference")),
                        num(c.path("low")), num(c.path("high")), num(c.path("bootstrapPValue")),
                        mc.isNumber() ? OptionalDouble.of(mc.asDouble()) : OptionalDouble.empty(), true));
            }
        }
        List<Score> a = new ArrayList<>(), b = new ArrayList<>();
        for (ExampleRow e : examples) {
            Result s = e.singles().get(best);
            if (s == null) continue;
            a.add(score(e.method()));
            b.add(score(s));
        }
        if (a.isEmpty()) return Optional.empty();
        PairedComparison c = Aggregation.defaults().compare(a, b);
        return Optional.of(new Paired(best, c.wins(), c.ties(), c.losses(), c.meanDifference(), c.low(), c.high(),
                c.bootstrapPValue(), c.mcNemarPValue(), false));
    }

    private static Score score(Result r) {
        return new Score(r.score(), r.extracted() == null ? "" : r.extracted(), r.scoreFailed(), "");
    }

    private static Result result(JsonNode e) {
        double s = num(e.path("score"));
        return new Result(text(e, "output", null), text(e, "extracted", null), Double.isNaN(s) ? 0 : s,
                e.path("scoreFailed").asBoolean(false), text(e, "error", null));
    }

    static String text(JsonNode n, String key, String fallback) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) return fallback;
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** A number field; NaN for null, missing, or a non-numeric string such as "NaN". */
    static double num(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        if (v.getNodeType() == JsonNodeType.STRING) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
