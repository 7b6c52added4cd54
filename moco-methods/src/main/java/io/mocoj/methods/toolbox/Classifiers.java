package io.mocoj.methods.toolbox;

import java.util.Arrays;
import java.util.List;

/** Query classifiers for routers: which model should answer, as probabilities over the pool. */
public final class Classifiers {
    private Classifiers() {}

    /** Config names of the classifiers. */
    public static final List<String> KINDS = List.of("logistic", "knn", "mlp");
    static final int STEPS = 300, MLP_HIDDEN = 32;
    static final double LR = 0.05, L2 = 0.1;

    /** A fitted classifier; thread-safe. */
    @FunctionalInterface
    public interface Classifier {
        double[] probabilities(double[] features);
    }

    /**
     * Fits {@code kind} on features {@code x} with target distributions {@code y} (soft labels over
     * {@code classes}, rows summing to 1): {@code logistic}
     * (softmax regression on standardised features, L2 0.1, 300 Adam steps at 0.05), {@code mlp}
     * (one tanh layer of 32 units, same training), or {@code knn} (mean target of the {@code k} nearest training
     * points by dot product, ties by order).
     */
    public static Classifier fit(String kind, double[][] x, double[][] y, int classes, int k, long seed) {
        if (x.length == 0) throw new IllegalArgumentException("no training examples");
        return switch (kind) {
            case "logistic", "mlp" -> {
                Standardizer z = new Standardizer(x);
                Mlp m = new Mlp(x[0].length, kind.equals("mlp") ? MLP_HIDDEN : 0, classes, L2, seed);
                m.fit(z.apply(x), y, STEPS, LR);
                yield q -> m.probabilities(z.apply(q));
            }
            case "knn" -> {
                double[][] train = x.clone();
                double[][] labels = y.clone();
                int kk = Math.min(k, train.length);
                yield q -> knn(train, labels, classes, kk, q);
            }
            default -> throw new IllegalArgumentException("unknown classifier '" + kind + "'; accepted: " + KINDS);
        };
    }

    /** Per-feature z-scores with the training mean and standard deviation (floored at 1e-3). */
    private record Standardizer(double[] mean, double[] sd) {
        Standardizer(double[][] x) { this(new double[x[0].length], new double[x[0].length]); fitTo(x); }

        private void fitTo(double[][] x) {
            for (double[] row : x) for (int j = 0; j < mean.length; j++) mean[j] += row[j] / x.length;
            for (double[] row : x) for (int j = 0; j < mean.length; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
            for (int j = 0; j < sd.length; j++) sd[j] = Math.max(1e-3, Math.sqrt(sd[j]));
        }

        double[] apply(double[] v) {
            double[] out = new double[v.length];
            for (int j = 0; j < v.length; j++) out[j] = (v[j] - mean[j]) / sd[j];
            return out;
        }

        double[][] apply(double[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) out[i] = apply(x[i]);
            return out;
        }
    }

    private static double[] knn(double[][] train, double[][] labels, int classes, int k, double[] q) {
        Integer[] order = new Integer[train.length];
        double[] sim = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            order[i] = i;
            sim[i] = Embeddings.dot(train[i], q);
        }
        Arrays.sort(order, (a, b) -> Double.compare(sim[b], sim[a]));
        double[] p = new double[classes];
        for (int i = 0; i < k; i++) for (int c = 0; c < classes; c++) p[c] += labels[order[i]][c] / k;
        return p;
    }

    /**
     * {@code folds}-fold cross-fitting: point {@code i} is in fold {@code i mod folds}, and each
     * fold's classifier is fitted on the other folds.
     *
     * @param classifiers one per fold
     * @param heldOut     per training point, the probabilities from the classifier that did not see it
     */
    public record CrossFit(List<Classifier> classifiers, double[][] heldOut) {
        /**
         * The probabilities of a new point, from fold classifier {@code index mod folds}: new points
         * are scored exactly as held-out training points are, so thresholds set on the held-out
         * scores carry over.
         */
        public double[] probabilities(int index, double[] features) {
            return classifiers.get(Math.floorMod(index, classifiers.size())).probabilities(features);
        }
    }

    /** Fits {@link CrossFit} (at least 2 folds, at most one per point). */
    public static CrossFit crossFit(String kind, double[][] x, double[][] y, int classes, int k, long seed, int folds) {
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("cross-fitting needs at least 2 training points, got " + n);
        int f = Math.max(2, Math.min(folds, n));
        double[][] out = new double[n][];
        List<Classifier> fitted = new java.util.ArrayList<>();
        for (int fold = 0; fold < f; fold++) {
            int size = n - (n - fold + f - 1) / f;
            double[][] tx = new double[size][];
            double[][] ty = new double[size][];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (i % f != fold) { tx[j] = x[i]; ty[j++] = y[i]; }
            }
            Classifier c = fit(kind, tx, ty, classes, k, seed + fold);
            fitted.add(c);
            for (int i = fold; i < n; i += f) out[i] = c.probabilities(x[i]);
        }
        return new CrossFit(List.copyOf(fitted), out);
    }

    /** Index of the largest value, lowest index among ties, skipping {@code excluded} (-1 for none). */
    public static int argmax(double[] v, int excluded) {
        int best = -1;
        for (int i = 0; i < v.length; i++) if (i != excluded && (best < 0 || v[i] > v[best])) best = i;
        return best;
    }

    /**
     * Per query, the share of the label each model gets: the models with the highest utility
     * ({@code [model][query]}) split it equally (a query every model fails gives every model an
     * equal share, so it carries no preference).
     */
    public static double[][] bestShares(double[][] utility) {
        int models = utility.length, n = models == 0 ? 0 : utility[0].length;
        double[][] out = new double[n][models];
        for (int q = 0; q < n; q++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < models; m++) best = Math.max(best, utility[m][q]);
            int tied = 0;
            for (int m = 0; m < models; m++) if (utility[m][q] == best) tied++;
            for (int m = 0; m < models; m++) if (utility[m][q] == best) out[q][m] = 1.0 / tied;
        }
        return out;
    }
}
