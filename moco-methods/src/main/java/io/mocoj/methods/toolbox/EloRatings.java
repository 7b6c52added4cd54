package io.mocoj.methods.toolbox;

import io.mocoj.method.ParameterSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * SPARTA's Elo-like reputations (MoCo's {@code RatingSystem}): every model starts at score 100
 * with deviation 0.5. A judged duel between {@code a} and {@code b} moves both scores by
 * {@code K · (±d) · tanh(σ_i) · max(|erf((R_i − R_j)/(√2·√(σ_i²+σ_j²)))|, ε) / scalingFactor},
 * floored at 10, where {@code d} is the judges' reputation-weighted score difference (judges are
 * the models that did not duel; each judge's mean scores are multiplied by the duelling models'
 * weights, see {@link #iterationWeights}); {@code a} is updated first, and {@code b}'s update sees
 * {@code a}'s new score. Before each duel {@code K = max(minK, initialK · decayRate^(updates/decaySteps))};
 * a model's deviation is the population standard deviation of its last {@code windowSize} score
 * changes (at least {@code minDeviation}) once it has two. Frozen ratings never change.
 */
public final class EloRatings {
    /** The rating system's settings under MoCo's names. */
    public record Settings(double initialK, double minK, int windowSize, double minDeviation, double epsilon, double decayRate,
                           int decaySteps, double scalingFactor, boolean frozen) {
        /** MoCo's defaults: K 10 → 5, window 10, min deviation 0.1, ε 0.01, decay 0.9 every 10, scale 20, not frozen. */
        public static Settings defaults() { return new Settings(10, 5, 10, 0.1, 0.01, 0.9, 10, 20, false); }
    }

    /** A model's reputation. */
    public record Rating(double score, double deviation) {}

    /** One judge's mean scores (1–10) of the two duelling responses. */
    public record Verdict(String judge, double scoreA, double scoreB) {}

    /** The ratings of every model after one duel, for the trace. */
    public record Snapshot(int update, double k, Map<String, Rating> ratings) {}

    /** SPARTA's {@code score_type}. */
    public enum ScoreType { NORMAL, DYNAMIC, STATIC }

    public static final double INITIAL_SCORE = 100, INITIAL_DEVIATION = 0.5, FLOOR = 10;

    /** The rating hyperparameters with MoCo's names and defaults. */
    public static List<ParameterSpec> parameters() {
        Settings d = Settings.defaults();
        return List.of(
                ParameterSpec.real("initial_k", d.initialK(), 0, 1e6, "starting K of the rating updates"),
                ParameterSpec.real("min_k", d.minK(), 0, 1e6, "K never decays below this"),
                ParameterSpec.integer("window_size", d.windowSize(), 2, 1_000_000, "score changes kept for a model's deviation"),
                ParameterSpec.real("min_deviation", d.minDeviation(), 0, 1e6, "smallest deviation"),
                ParameterSpec.real("epsilon", d.epsilon(), 0, 1, "smallest expected-outcome factor of an update"),
                ParameterSpec.real("decay_rate", d.decayRate(), 0, 1, "K decays by this factor every decay_steps updates"),
                ParameterSpec.integer("decay_steps", d.decaySteps(), 1, 1_000_000, "updates per K decay"),
                ParameterSpec.real("scaling_factor", d.scalingFactor(), 1e-9, 1e9, "updates are divided by this"),
                ParameterSpec.choice("score_type", "normal", List.of("normal", "dynamic", "static"),
                        "normal; dynamic or static: from the third iteration the lowest-rated models' judged scores are down-weighted"),
                ParameterSpec.bool("freeze_ratings", false, "keep every rating at its start value"));
    }

    /** The settings from hyperparameters declared by {@link #parameters()}. */
    public static Settings settings(io.mocoj.method.Hyperparameters hp) {
        return new Settings(hp.getDouble("initial_k"), hp.getDouble("min_k"), hp.getInt("window_size"), hp.getDouble("min_deviation"),
                hp.getDouble("epsilon"), hp.getDouble("decay_rate"), hp.getInt("decay_steps"), hp.getDouble("scaling_factor"),
                hp.getBoolean("freeze_ratings"));
    }

    private final Settings settings;
    private final Map<String, Rating> ratings = new LinkedHashMap<>();
    private final Map<String, Deque<Double>> deltas = new LinkedHashMap<>();
    private int updates;
    private double k;

    public EloRatings(List<String> models, Settings settings) {
        this.settings = settings;
        this.k = settings.initialK();
        for (String m : models) {
            ratings.put(m, new Rating(INITIAL_SCORE, INITIAL_DEVIATION));
            deltas.put(m, new ArrayDeque<>());
        }
    }

    public synchronized Rating rating(String model) { return ratings.get(model); }

    public synchronized double score(String model) { return ratings.get(model).score(); }

    public synchronized Map<String, Rating> ratings() { return Collections.unmodifiableMap(new LinkedHashMap<>(ratings)); }

    public synchronized Snapshot snapshot() { return new Snapshot(updates, k, ratings()); }

    /** The current K (after the latest update's decay). */
    public synchronized double k() { return k; }

    /** Restarts the K decay clock (MoCo's SPARTA starts every iteration's K at {@code initial_k}; the Stackelberg variant does not). */
    public synchronized void restartDecay() {
        updates = 0;
        k = settings.initialK();
    }

    /** Duels counted so far (the K decay clock). */
    public synchronized int updates() { return updates; }

    /**
     * The judges' reputation-weighted mean scores of the two responses: {@code Σ r_j·s_j / Σ r_j}
     * over judges other than {@code a} and {@code b}; null when no judge counts.
     */
    public synchronized double[] weightedScores(String a, String b, List<Verdict> verdicts) {
        double wa = 0, wb = 0, total = 0;
        for (Verdict v : verdicts) {
            if (v.judge().equals(a) || v.judge().equals(b) || !ratings.containsKey(v.judge())) continue;
            double r = ratings.get(v.judge()).score();
            wa += r * v.scoreA();
            wb += r * v.scoreB();
            total += r;
        }
        return total <= 0 ? null : new double[] {wa / total, wb / total};
    }

    /** One duel's update (see the class comment); {@code weights} are the per-model score weights (1 when absent). */
    public synchronized void update(String a, String b, List<Verdict> verdicts, Map<String, Double> weights) {
        if (settings.frozen()) return;
        updates++;
        k = Math.max(settings.minK(), settings.initialK() * Math.pow(settings.decayRate(), updates / (double) settings.decaySteps()));
        double num = 0, den = 0;
        double weightA = weights.getOrDefault(a, 1.0), weightB = weights.getOrDefault(b, 1.0);
        for (Verdict v : verdicts) {
            if (v.judge().equals(a) || v.judge().equals(b) || !ratings.containsKey(v.judge())) continue;
            double r = ratings.get(v.judge()).score();
            num += r * (v.scoreA() * weightA - v.scoreB() * weightB);
            den += r;
        }
        if (den == 0) return;
        double diff = num / den;
        Map<String, Double> changed = new LinkedHashMap<>();
        String[] pair = {a, b};
        for (int i = 0; i < 2; i++) {
            String self = pair[i], other = pair[1 - i];
            Rating ri = ratings.get(self), rj = ratings.get(other);
            double combined = Math.sqrt(ri.deviation() * ri.deviation() + rj.deviation() * rj.deviation());
            if (combined == 0) combined = 1e-6;
            double expected = Math.abs(Erf.erf((ri.score() - rj.score()) / (Math.sqrt(2) * combined)));
            double delta = k * (i == 0 ? diff : -diff) * Math.tanh(ri.deviation()) * Math.max(expected, settings.epsilon())
                    / settings.scalingFactor();
            double next = Math.max(FLOOR, ri.score() + delta);
            changed.merge(self, next - ri.score(), (x, y) -> y);
            ratings.put(self, new Rating(next, ri.deviation()));
        }
        for (Map.Entry<String, Double> e : changed.entrySet()) {
            Deque<Double> h = deltas.get(e.getKey());
            h.addLast(e.getValue());
            while (h.size() > settings.windowSize()) h.removeFirst();
            if (h.size() >= 2) {
                Rating r = ratings.get(e.getKey());
                ratings.put(e.getKey(), new Rating(r.score(), Math.max(populationStd(h), settings.minDeviation())));
            }
        }
    }

    private static double populationStd(Deque<Double> xs) {
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= xs.size();
        double var = 0;
        for (double x : xs) var += (x - mean) * (x - mean);
        return Math.sqrt(var / xs.size());
    }

    /**
     * The per-model score weights of iteration {@code iteration} (0-based) for {@code score_type}
     * dynamic or static, from the ratings at the end of each earlier iteration ({@code history.get(t)}
     * for iteration {@code t}). Normal: every weight 1. Dynamic, from iteration 2: the
     * {@code iteration − 1} lowest-rated models of the previous iteration get 0, 0.1, 0.2, … in
     * ascending order of score. Static: each iteration from 2 on fixes one more model, the lowest-
     * rated of those not yet fixed, at 0, 0.1, 0.2, … From iteration 8 on the weights of iteration
     * 7 stay.
     */
    public static Map<String, Double> iterationWeights(ScoreType type, List<String> models, int iteration, List<Map<String, Rating>> history) {
        Map<String, Double> w = new LinkedHashMap<>();
        for (String m : models) w.put(m, 1.0);
        int it = Math.min(iteration, 7);
        if (type == ScoreType.NORMAL || it < 2) return w;
        if (type == ScoreType.DYNAMIC) {
            if (history.size() < it) return w;
            List<String> sorted = ascending(history.get(it - 1), models);
            for (int i = 0; i < Math.min(it - 1, sorted.size()); i++) w.put(sorted.get(i), i == 0 ? 0.0 : 0.1 * i);
            return w;
        }
        List<String> fixed = new ArrayList<>();
        for (int t = 2; t <= it; t++) {
            if (history.size() < t) break;
            List<String> remaining = new ArrayList<>(ascending(history.get(t - 1), models));
            remaining.removeAll(fixed);
            if (remaining.isEmpty()) continue;
            fixed.add(remaining.get(0));
            int idx = fixed.size() - 1;
            w.put(remaining.get(0), idx == 0 ? 0.0 : 0.1 * idx);
        }
        return w;
    }

    private static List<String> ascending(Map<String, Rating> r, List<String> models) {
        List<String> out = new ArrayList<>(models);
        out.sort(Comparator.comparingDouble(m -> r.get(m).score()));
        return out;
    }
}
