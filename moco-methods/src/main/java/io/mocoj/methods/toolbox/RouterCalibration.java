package io.mocoj.methods.toolbox;

import io.mocoj.method.DevEvaluation;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Cost–quality calibration of a router on dev, as RouteLLM calibrates its threshold: a query goes
 * to the strong model when the router's strong score reaches a threshold, otherwise to the
 * router's choice among the other models. Every threshold gives a point (strong share, mean dev
 * score, cost per 1,000 queries); the target picks one. Beside the curve: each model alone and
 * the oracle router (per query the best dev score, at the cost of the cheapest model reaching it).
 */
public final class RouterCalibration {
    private RouterCalibration() {}

    /** One operating point: route strong when score ≥ threshold. {@code costPer1k} is NaN when prices are unknown. */
    public record Point(double threshold, double strongShare, double quality, double costPer1k) {
        public Map<String, Object> asTrace() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", Double.isInfinite(threshold) ? "inf" : threshold);
            m.put("strong_share", strongShare);
            m.put("quality", quality);
            if (!Double.isNaN(costPer1k)) m.put("cost_per_1k", costPer1k);
            return m;
        }
    }

    /** The chosen threshold and everything the report shows about it. */
    public record Result(int strongModel, double threshold, Point chosen, List<Point> curve, List<Point> singles, Point oracle,
                         boolean targetReached) {
        /**
         * The calibrated choice for a query: the strong model when its score reaches the
         * threshold, else {@code otherChoice}; without a target, {@code uncalibrated}.
         */
        public int choose(double strongScore, int otherChoice, int uncalibrated) {
            if (chosen == null) return uncalibrated;
            return strongScore >= threshold ? strongModel : otherChoice;
        }
    }

    /**
     * Refuses, before any call, a {@code cost_per_1k} target when some model's price is unknown.
     *
     * @param method the method's name, for the message
     */
    public static void checkPrices(String method, CalibrationTarget target, List<ModelEndpoint> models) {
        if (target == null || target.costPer1k() == null) return;
        for (ModelEndpoint m : models) {
            if (!m.pricing().known()) {
                throw new IllegalArgumentException("method " + method + ": calibrate cost_per_1k needs every model's price, and model '"
                        + m.name() + "' has none; give prices (e.g. price_in/price_out in a sim: spec) or calibrate strong_share");
            }
        }
    }

    /**
     * A strong score for routers that make a choice rather than give a score (an LLM naming a
     * model): 1 plus a per-query uniform draw in [0, 1) when the router picked the strong model,
     * the draw alone otherwise. A threshold on it sends first a random part of the router's strong
     * picks, then all of them plus a random part of the others, so any share can be met; the draw
     * is fixed by the seed and the example id, the same on every run.
     */
    public static double choiceScore(boolean pickedStrong, long seed, String exampleId) {
        double u = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ exampleId.hashCode()).nextDouble();
        return (pickedStrong ? 1 : 0) + u;
    }

    /** Cumulative costs {@code [model][query]}: ending at model m costs the calls of models 0..m (a cascade). */
    public static double[][] cumulative(double[][] costs) {
        if (costs == null) return null;
        double[][] out = new double[costs.length][];
        for (int m = 0; m < costs.length; m++) {
            out[m] = costs[m].clone();
            if (m > 0) for (int q = 0; q < out[m].length; q++) out[m][q] += out[m - 1][q];
        }
        return out;
    }

    /** The columns {@code queries} of a {@code [model][query]} matrix (null stays null). */
    public static double[][] columns(double[][] byModel, int[] queries) {
        if (byModel == null) return null;
        double[][] out = new double[byModel.length][queries.length];
        for (int m = 0; m < byModel.length; m++) for (int i = 0; i < queries.length; i++) out[m][i] = byModel[m][queries[i]];
        return out;
    }

    /** Dev cost of every model's call on every dev example ({@code [model][example]}), or null when any model's price is unknown. */
    public static double[][] devCosts(List<ModelEndpoint> models, DevEvaluation dev) {
        for (ModelEndpoint m : models) if (!m.pricing().known()) return null;
        int n = dev.examples().size();
        double[][] c = new double[models.size()][n];
        for (int m = 0; m < models.size(); m++) {
            for (int q = 0; q < n; q++) {
                Generation g = dev.generation(m, q);
                c[m][q] = g == null ? 0 : models.get(m).pricing().cost(g.usage());
            }
        }
        return c;
    }

    /** Dev scores {@code [model][example]}. */
    public static double[][] devScores(DevEvaluation dev) {
        int n = dev.examples().size();
        double[][] s = new double[dev.modelCount()][n];
        for (int m = 0; m < dev.modelCount(); m++) for (int q = 0; q < n; q++) s[m][q] = dev.score(m, q).value();
        return s;
    }

    /** The strong model: the highest mean dev cost when prices are known, else the last pool model. */
    public static int strongModel(int models, double[][] costs) {
        if (costs == null) return models - 1;
        int best = 0;
        for (int m = 1; m < models; m++) if (mean(costs[m]) > mean(costs[best])) best = m;
        return best;
    }

    /**
     * @param target      the calibration target
     * @param strong      the strong model's index
     * @param strongScore per dev query, the router's score for the strong model (held-out: not fitted on that query)
     * @param otherChoice per dev query, the model the router picks when not sending it to the strong model
     * @param scores      dev scores {@code [model][query]}
     * @param costs       dev costs {@code [model][query]}, or null when prices are unknown (then only strong_share works)
     */
    public static Result calibrate(CalibrationTarget target, int strong, double[] strongScore, int[] otherChoice,
                                   double[][] scores, double[][] costs) {
        return calibrate(target, strong, strongScore, otherChoice, scores, costs, costs);
    }

    /**
     * As {@link #calibrate(CalibrationTarget, int, double[], int[], double[][], double[][])} for
     * routers whose route to a model costs more than that model's own call (a cascade pays every
     * model it tries): {@code routeCosts[m][q]} is the cost of ending at model {@code m} on query
     * {@code q}, {@code modelCosts} each model's own cost (for the single models and the oracle).
     */
    public static Result calibrate(CalibrationTarget target, int strong, double[] strongScore, int[] otherChoice,
                                   double[][] scores, double[][] routeCosts, double[][] modelCosts) {
        double[][] costs = routeCosts;
        if (target != null && target.costPer1k() != null && costs == null) {
            throw new IllegalArgumentException("calibrate cost_per_1k needs every model's price (e.g. price_in / price_out in a sim:"
                    + " spec, or a provider with known prices); use strong_share instead");
        }
        TreeSet<Double> distinct = new TreeSet<>();
        for (double s : strongScore) if (s != Double.NEGATIVE_INFINITY) distinct.add(s); // −∞: never strong
        List<Point> curve = new ArrayList<>();
        curve.add(at(Double.POSITIVE_INFINITY, strong, strongScore, otherChoice, scores, costs));
        for (double t : distinct.descendingSet()) curve.add(at(t, strong, strongScore, otherChoice, scores, costs));
        Point chosen;
        boolean reached = true;
        if (target == null) {
            chosen = null;
        } else if (target.strongShare() != null) {
            chosen = at(shareThreshold(strongScore, target.strongShare()), strong, strongScore, otherChoice, scores, costs);
            reached = Math.abs(chosen.strongShare() - target.strongShare()) * strongScore.length <= 1 + 1e-9;
        } else {
            chosen = null;
            for (Point p : curve) {
                if (p.costPer1k() <= target.costPer1k() + 1e-12 && (chosen == null || p.strongShare() > chosen.strongShare())) chosen = p;
            }
            if (chosen == null) {
                chosen = curve.get(0);
                reached = false;
            }
        }
        List<Point> singles = new ArrayList<>();
        for (int m = 0; m < scores.length; m++) {
            singles.add(new Point(Double.NaN, m == strong ? 1 : 0, mean(scores[m]),
                    modelCosts == null ? Double.NaN : 1000 * mean(modelCosts[m])));
        }
        return new Result(strong, chosen == null ? Double.NaN : chosen.threshold(), chosen, curve, singles,
                oracle(scores, modelCosts, strong), reached);
    }

    /**
     * The threshold sending the top {@code share} of the scores to the strong model (the
     * interpolated quantile of {@link Thresholds#topShare}; between infinite order statistics the
     * upper one; never −∞, the score of queries that must not go to the strong model).
     */
    static double shareThreshold(double[] strongScore, double share) {
        int n = strongScore.length;
        if (n == 0 || share == 0) return Double.POSITIVE_INFINITY;
        double t = Thresholds.topShare(strongScore, share);
        double[] sorted = strongScore.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(t)) t = sorted[Math.min(n - 1, (int) Math.floor((1 - share) * (n - 1)) + 1)];
        if (t == Double.NEGATIVE_INFINITY) {
            t = Double.POSITIVE_INFINITY;
            for (double v : sorted) if (v != Double.NEGATIVE_INFINITY) { t = v; break; }
        }
        return t;
    }

    /** The operating point of threshold {@code t}. */
    public static Point at(double t, int strong, double[] strongScore, int[] otherChoice, double[][] scores, double[][] costs) {
        int n = strongScore.length, toStrong = 0;
        double quality = 0, cost = 0;
        for (int q = 0; q < n; q++) {
            int m = strongScore[q] >= t ? strong : otherChoice[q];
            if (m == strong) toStrong++;
            quality += scores[m][q];
            if (costs != null) cost += costs[m][q];
        }
        return new Point(t, n == 0 ? 0 : (double) toStrong / n, n == 0 ? 0 : quality / n,
                costs == null ? Double.NaN : n == 0 ? 0 : 1000 * cost / n);
    }

    private static Point oracle(double[][] scores, double[][] costs, int strong) {
        int n = scores.length == 0 ? 0 : scores[0].length, toStrong = 0;
        double quality = 0, cost = 0;
        for (int q = 0; q < n; q++) {
            int best = 0;
            for (int m = 1; m < scores.length; m++) {
                boolean better = scores[m][q] > scores[best][q];
                boolean cheaper = scores[m][q] == scores[best][q] && costs != null && costs[m][q] < costs[best][q];
                if (better || cheaper) best = m;
            }
            if (best == strong) toStrong++;
            quality += scores[best][q];
            if (costs != null) cost += costs[best][q];
        }
        return new Point(Double.NaN, n == 0 ? 0 : (double) toStrong / n, n == 0 ? 0 : quality / n,
                costs == null ? Double.NaN : n == 0 ? 0 : 1000 * cost / n);
    }

    /** The trace form: target, strong model, chosen point, the curve (at most 41 points), singles and oracle. */
    public static Map<String, Object> trace(Result r, CalibrationTarget target, List<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (target != null) m.put("target", target.asConfig());
        m.put("strong_model", names.get(r.strongModel()));
        if (r.chosen() != null) {
            m.put("chosen", r.chosen().asTrace());
            m.put("target_reached", r.targetReached());
        }
        List<Point> curve = r.curve();
        List<Map<String, Object>> sampled = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil(curve.size() / 40.0));
        for (int i = 0; i < curve.size(); i += step) sampled.add(curve.get(i).asTrace());
        if ((curve.size() - 1) % step != 0) sampled.add(curve.get(curve.size() - 1).asTrace());
        m.put("curve", sampled);
        Map<String, Object> singles = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>(r.singles().get(i).asTrace());
            p.remove("threshold");
            p.remove("strong_share");
            singles.put(names.get(i), p);
        }
        m.put("single_models", singles);
        Map<String, Object> oracle = new LinkedHashMap<>(r.oracle().asTrace());
        oracle.remove("threshold");
        m.put("oracle", oracle);
        return m;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? 0 : Arrays.stream(v).average().orElse(0);
    }
}
