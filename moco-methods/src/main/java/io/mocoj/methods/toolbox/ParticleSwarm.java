package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A numeric particle swarm optimiser that maximises an objective over vectors in a box
 * [lower, upper]^d. Each particle keeps a position x, a velocity v and its personal best p; the
 * swarm keeps the global best g and the global worst position seen, z. Per iteration, for every
 * particle and dimension, with r1, r2, r3 uniform in [0, 1):
 * v ← w·v + c1·r1·(p − x) + c2·r2·(g − x) − c3·r3·(z − x), clipped to ±(upper − lower);
 * x ← clip(x + λ·v), and then the step λ ← max(λ·factor, minimum step). With c3 = 0 and
 * λ = 1 this is the classic swarm; the repel term and decaying step are those of Model Swarms /
 * Heterogeneous Swarms (Feng et al.). The search stops early when the global best has not
 * improved for {@code patience} iterations. The whole population is scored in one batch (so a
 * caller can evaluate it concurrently). The global best value never decreases; ties keep the
 * earlier best.
 *
 * <p>Immutable and thread-safe; randomness comes only from the generator passed to {@link #maximise}.
 */
public final class ParticleSwarm {
    private final int dimensions;
    private final int particles;
    private final int iterations;
    private final double lower;
    private final double upper;
    private final double inertia;
    private final double cognitive;
    private final double social;
    private final double repel;
    private final double step;
    private final double stepFactor;
    private final double minimumStep;
    private final int patience;

    private ParticleSwarm(Builder b) {
        this.dimensions = b.dimensions;
        this.particles = b.particles;
        this.iterations = b.iterations;
        this.lower = b.lower;
        this.upper = b.upper;
        this.inertia = b.inertia;
        this.cognitive = b.cognitive;
        this.social = b.social;
        this.repel = b.repel;
        this.step = b.step;
        this.stepFactor = b.stepFactor;
        this.minimumStep = b.minimumStep;
        this.patience = b.patience;
    }

    public static Builder builder() { return new Builder(); }

    /** The state after one iteration (iteration 0 is the random start): every particle's value and the global best so far. */
    public record Iteration(int iteration, double[] values, double globalBestValue, double[] globalBest) {}

    /** The best vector found, its value and the history of every iteration. */
    public record Result(double[] best, double bestValue, List<Iteration> history) {
        /** The number of objective evaluations made. */
        public int evaluations() { return history.stream().mapToInt(i -> i.values().length).sum(); }
    }

    /**
     * Maximises {@code objective}, which scores a batch of positions (one value per position, in
     * order). {@code 1 + iterations} batches of {@code particles} positions are scored.
     */
    public Result maximise(Function<List<double[]>, double[]> objective, RandomGenerator random) {
        Objects.requireNonNull(objective, "objective");
        double span = upper - lower;
        double[][] x = new double[particles][dimensions];
        double[][] v = new double[particles][dimensions];
        for (int i = 0; i < particles; i++) {
            for (int d = 0; d < dimensions; d++) {
                x[i][d] = lower + random.nextDouble() * span;
                v[i][d] = (random.nextDouble() * 2 - 1) * span * 0.1;
            }
        }
        double[][] personal = new double[particles][];
        double[] personalValue = new double[particles];
        double[] global = null;
        double globalValue = Double.NEGATIVE_INFINITY;
        double[] worst = null;
        double worstValue = Double.POSITIVE_INFINITY;
        double lambda = step;
        int stale = 0;
        List<Iteration> history = new ArrayList<>();
        for (int t = 0; t <= iterations; t++) {
            if (t > 0) {
                for (int i = 0; i < particles; i++) {
                    for (int d = 0; d < dimensions; d++) {
                        double r1 = random.nextDouble(), r2 = random.nextDouble(), r3 = random.nextDouble();
                        v[i][d] = clip(inertia * v[i][d] + cognitive * r1 * (personal[i][d] - x[i][d])
                                + social * r2 * (global[d] - x[i][d]) - repel * r3 * (worst[d] - x[i][d]), -span, span);
                        x[i][d] = clip(x[i][d] + lambda * v[i][d], lower, upper);
                    }
                }
                lambda = Math.max(lambda * stepFactor, minimumStep);
            }
            List<double[]> batch = new ArrayList<>(particles);
            for (double[] p : x) batch.add(p.clone());
            double[] values = objective.apply(batch);
            if (values.length != particles) {
                throw new IllegalStateException("the objective returned " + values.length + " values for " + particles + " positions");
            }
            boolean improved = false;
            for (int i = 0; i < particles; i++) {
                if (t == 0 || values[i] > personalValue[i]) {
                    personalValue[i] = values[i];
                    personal[i] = x[i].clone();
                }
                if (values[i] > globalValue) {
                    globalValue = values[i];
                    global = x[i].clone();
                    improved = true;
                }
                if (values[i] < worstValue) {
                    worstValue = values[i];
                    worst = x[i].clone();
                }
            }
            history.add(new Iteration(t, values.clone(), globalValue, global.clone()));
            stale = improved ? 0 : stale + 1;
            if (t > 0 && stale >= patience) break;
        }
        return new Result(global.clone(), globalValue, List.copyOf(history));
    }

    private static double clip(double v, double lo, double hi) { return Math.max(lo, Math.min(hi, v)); }

    @Override public String toString() {
        return "ParticleSwarm[d=" + dimensions + ", particles=" + particles + ", iterations=" + iterations + ", box=["
                + lower + ", " + upper + "], w=" + inertia + ", c1=" + cognitive + ", c2=" + social + ", c3=" + repel
                + ", step=" + step + "×" + stepFactor + "≥" + minimumStep + ", patience=" + patience + "]";
    }

    /** Options of a swarm; {@link #build()} validates them. */
    public static final class Builder {
        private int dimensions = 1;
        private int particles = 5;
        private int iterations = 5;
        private double lower = 0;
        private double upper = 1;
        private double inertia = 0.5;
        private double cognitive = 1.5;
        private double social = 1.5;
        private double repel;
        private double step = 1;
        private double stepFactor = 1;
        private double minimumStep;
        private int patience = Integer.MAX_VALUE;

        private Builder() {}

        /** Push away from the worst position seen, c3. Default 0 (no repel term). */
        public Builder repel(double v) { repel = v; return this; }

        /** Step length λ applied to the velocity, its decay factor per iteration and its floor. Default 1, 1, 0. */
        public Builder step(double length, double factor, double minimum) {
            step = length;
            stepFactor = factor;
            minimumStep = minimum;
            return this;
        }

        /** Stop when the global best has not improved for this many iterations. Default: never stop early. */
        public Builder patience(int iterations) { patience = iterations; return this; }

        /** Length of the vectors searched. Default 1. */
        public Builder dimensions(int v) { dimensions = v; return this; }

        /** Population size. Default 5. */
        public Builder particles(int v) { particles = v; return this; }

        /** Update steps after the random start. Default 5. */
        public Builder iterations(int v) { iterations = v; return this; }

        /** The box every coordinate stays in. Default [0, 1]. */
        public Builder bounds(double lo, double hi) { lower = lo; upper = hi; return this; }

        /** Velocity inertia w. Default 0.5. */
        public Builder inertia(double v) { inertia = v; return this; }

        /** Pull towards the particle's own best, c1. Default 1.5. */
        public Builder cognitive(double v) { cognitive = v; return this; }

        /** Pull towards the swarm's best, c2. Default 1.5. */
        public Builder social(double v) { social = v; return this; }

        public ParticleSwarm build() {
            if (dimensions < 1) throw new IllegalArgumentException("a particle swarm needs at least 1 dimension, was " + dimensions);
            if (particles < 1) throw new IllegalArgumentException("a particle swarm needs at least 1 particle, was " + particles);
            if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, was " + iterations);
            if (!(lower < upper)) throw new IllegalArgumentException("bounds must have lower < upper, were [" + lower + ", " + upper + "]");
            double[] coefficients = {inertia, cognitive, social, repel, step, stepFactor, minimumStep};
            for (double c : coefficients) {
                if (!(c >= 0) || Double.isInfinite(c)) {
                    throw new IllegalArgumentException("swarm coefficients (inertia, cognitive, social, repel, step, step factor, minimum step) "
                            + "must be finite and >= 0, were " + Arrays.toString(coefficients));
                }
            }
            if (patience < 1) throw new IllegalArgumentException("patience must be at least 1, was " + patience);
            return new ParticleSwarm(this);
        }
    }
}
