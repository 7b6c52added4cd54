package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The particle swarm optimiser of MoCo-J: it maximises an objective over {@code double[]}
 * positions. Each particle keeps a position x, a velocity v and its personal best p; the swarm
 * keeps the global best g and the global worst position seen, z. Every round the whole population
 * is scored in one batch (so a caller can evaluate it concurrently), then it moves by one of two
 * update {@link Rule}s:
 * <ul>
 *   <li>{@link Rule#CLASSIC} (the text-level swarms): per particle and dimension, with r1, r2, r3
 *       uniform in [0, 1): v ← w·v + c1·r1·(p − x) + c2·r2·(g − x) − c3·r3·(z − x), clipped to
 *       ±(upper − lower); x ← clip(x + λ·v) to the box [lower, upper]; it stops when the global
 *       best has not improved for {@code patience} rounds. With c3 = 0 and λ = 1 this is the
 *       classic swarm.</li>
 *   <li>{@link Rule#MODEL_SWARMS} (MoCo's Model Swarms update, its {@code swarm.py}): per particle,
 *       four random factors (or 1 each without {@code weightRandomness}) scale inertia, cognitive,
 *       social and repel weights, which are then normalised to sum to 1:
 *       v ← w·v + c·(p − x) + s·(g − x) + r·(x − z), x ← x + λ·v, unbounded. It stops when the
 *       global best is no better than {@code patience − 1} rounds before, and a particle that has
 *       not improved for {@code restartPatience} rounds restarts from its best with zero velocity
 *       (then waits 3 rounds before it may restart again).</li>
 * </ul>
 * In both, the step λ ← max(λ·factor, minimum step) after each move (Model Swarms /
 * Heterogeneous Swarms, Feng et al.), and the global best value never decreases; ties keep the
 * earlier best. Starts are random in the box ({@link #maximise}) or given ({@link #start}).
 *
 * <p>Immutable and thread-safe; randomness comes only from the generator passed in, and a
 * {@link Search} holds one search's state.
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
    private final Rule rule;
    private final int restartPatience;
    private final boolean weightRandomness;

    /** How particles move (see the class description). */
    public enum Rule { CLASSIC, MODEL_SWARMS }

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
        this.rule = b.rule;
        this.restartPatience = b.restartPatience;
        this.weightRandomness = b.weightRandomness;
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
        List<double[]> x = new ArrayList<>(particles), v = new ArrayList<>(particles);
        for (int i = 0; i < particles; i++) {
            double[] xi = new double[dimensions], vi = new double[dimensions];
            for (int d = 0; d < dimensions; d++) {
                xi[d] = lower + random.nextDouble() * span;
                vi[d] = (random.nextDouble() * 2 - 1) * span * 0.1;
            }
            x.add(xi);
            v.add(vi);
        }
        Search search = start(x, v, random);
        search.optimize(iterations + 1, objective);
        return new Result(search.globalBest(), search.globalBestScore(), search.history());
    }

    /** A search from given positions and velocities (one per particle, all of one length). */
    public Search start(List<double[]> positions, List<double[]> velocities, RandomGenerator random) {
        return new Search(positions, velocities, random);
    }

    /** One search's state: score {@link #positions()}, hand the values to {@link #update}, repeat. */
    public final class Search {
        private final RandomGenerator random;
        private final int n;
        private final double[][] x, v, personal;
        private final double[] personalValue;
        private final List<List<Double>> values = new ArrayList<>();
        private final int[] restartCooldown;
        private final List<Iteration> history = new ArrayList<>();
        private double[] global, worst;
        private double globalValue = Double.NEGATIVE_INFINITY, worstValue = Double.POSITIVE_INFINITY;
        private double lambda = step;
        private int stale;

        private Search(List<double[]> positions, List<double[]> velocities, RandomGenerator random) {
            if (positions.isEmpty() || positions.size() != velocities.size()) {
                throw new IllegalArgumentException("a swarm needs at least one particle and one velocity per particle");
            }
            this.random = Objects.requireNonNull(random, "random");
            this.n = positions.size();
            this.x = positions.stream().map(double[]::clone).toArray(double[][]::new);
            this.v = velocities.stream().map(double[]::clone).toArray(double[][]::new);
            this.personal = new double[n][];
            this.personalValue = new double[n];
            this.restartCooldown = new int[n];
            for (int i = 0; i < n; i++) values.add(new ArrayList<>());
        }

        /** The current positions (copies), to be scored. */
        public List<double[]> positions() {
            List<double[]> out = new ArrayList<>(n);
            for (double[] p : x) out.add(p.clone());
            return out;
        }

        /**
         * Records the values of the current positions and, unless the search should stop, moves the swarm.
         *
         * @return true when the search should stop (no global improvement within patience)
         */
        public boolean update(double[] scores) {
            if (scores.length != n) throw new IllegalStateException("the objective returned " + scores.length + " values for " + n + " positions");
            boolean improved = false;
            for (int i = 0; i < n; i++) {
                values.get(i).add(scores[i]);
                if (personal[i] == null || scores[i] > personalValue[i]) {
                    personalValue[i] = scores[i];
                    personal[i] = x[i].clone();
                }
                if (scores[i] > globalValue) {
                    globalValue = scores[i];
                    global = x[i].clone();
                    improved = true;
                }
                if (scores[i] < worstValue) {
                    worstValue = scores[i];
                    worst = x[i].clone();
                }
            }
            history.add(new Iteration(history.size(), scores.clone(), globalValue, global.clone()));
            stale = improved ? 0 : stale + 1;
            int h = history.size();
            boolean stop = rule == Rule.CLASSIC ? h > 1 && stale >= patience
                    : h > patience && history.get(h - 1).globalBestValue() <= history.get(h - patience).globalBestValue();
            if (stop) return true;
            for (int i = 0; i < n; i++) {
                if (rule == Rule.CLASSIC) moveClassic(i);
                else moveModelSwarms(i);
            }
            lambda = Math.max(lambda * stepFactor, minimumStep);
            return false;
        }

        private void moveClassic(int i) {
            double span = upper - lower;
            for (int d = 0; d < x[i].length; d++) {
                double r1 = random.nextDouble(), r2 = random.nextDouble(), r3 = random.nextDouble();
                v[i][d] = clip(inertia * v[i][d] + cognitive * r1 * (personal[i][d] - x[i][d])
                        + social * r2 * (global[d] - x[i][d]) - repel * r3 * (worst[d] - x[i][d]), -span, span);
                x[i][d] = clip(x[i][d] + lambda * v[i][d], lower, upper);
            }
        }

        private void moveModelSwarms(int i) {
            List<Double> mine = values.get(i);
            int k = mine.size();
            if (k > restartPatience && mine.get(k - 1) <= mine.get(k - restartPatience) && restartCooldown[i] == 0) {
                x[i] = personal[i].clone();
                Arrays.fill(v[i], 0);
                restartCooldown[i] = 3;
            } else {
                restartCooldown[i] = Math.max(0, restartCooldown[i] - 1);
            }
            double rw = r(), rp = r(), rs = r(), rb = r();
            double wSelf = rw * inertia, wCog = rp * cognitive, wSoc = rs * social, wRep = rb * repel;
            double sum = wSelf + wCog + wSoc + wRep;
            wSelf /= sum; wCog /= sum; wSoc /= sum; wRep /= sum;
            for (int d = 0; d < x[i].length; d++) {
                v[i][d] = wSelf * v[i][d] + wCog * (personal[i][d] - x[i][d]) + wSoc * (global[d] - x[i][d]) + wRep * (x[i][d] - worst[d]);
                x[i][d] += lambda * v[i][d];
            }
        }

        private double r() { return weightRandomness ? random.nextDouble() : 1; }

        /** The best position seen (null before the first update). */
        public double[] globalBest() { return global == null ? null : global.clone(); }

        public double globalBestScore() { return globalValue; }

        /** The global best after each update, never decreasing. */
        public List<Double> globalBestHistory() { return history.stream().map(Iteration::globalBestValue).toList(); }

        /** Every round so far: the values scored and the global best after it. */
        public List<Iteration> history() { return List.copyOf(history); }

        /**
         * Runs up to {@code rounds} rounds: score all positions with {@code objective} (given every
         * position of a round at once, so it can score them in parallel), update; returns the global best.
         */
        public double[] optimize(int rounds, Function<List<double[]>, double[]> objective) {
            for (int t = 0; t < rounds; t++) {
                if (update(objective.apply(positions()))) break;
            }
            return globalBest();
        }
    }

    private static double clip(double v, double lo, double hi) { return Math.max(lo, Math.min(hi, v)); }

    @Override public String toString() {
        return "ParticleSwarm[d=" + dimensions + ", particles=" + particles + ", iterations=" + iterations + ", box=["
                + lower + ", " + upper + "], w=" + inertia + ", c1=" + cognitive + ", c2=" + social + ", c3=" + repel
                + ", step=" + step + "×" + stepFactor + "≥" + minimumStep + ", patience=" + patience + ", rule=" + rule + "]";
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
        private Rule rule = Rule.CLASSIC;
        private int restartPatience = Integer.MAX_VALUE;
        private boolean weightRandomness = true;

        private Builder() {}

        /** The update rule. Default {@link Rule#CLASSIC}. */
        public Builder rule(Rule r) { rule = Objects.requireNonNull(r, "rule"); return this; }

        /** {@link Rule#MODEL_SWARMS}: restart a particle from its best after this many rounds without improvement. Default: never. */
        public Builder restartPatience(int rounds) { restartPatience = rounds; return this; }

        /** {@link Rule#MODEL_SWARMS}: random factors on the four weights (false: 1 each). Default true. */
        public Builder weightRandomness(boolean on) { weightRandomness = on; return this; }

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
            if (restartPatience < 1) throw new IllegalArgumentException("restart patience must be at least 1, was " + restartPatience);
            return new ParticleSwarm(this);
        }
    }
}
