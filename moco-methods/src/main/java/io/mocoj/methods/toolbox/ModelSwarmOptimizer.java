package io.mocoj.methods.toolbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Particle swarm optimisation over {@code double[]} positions given by the caller (no box),
 * maximising a utility, with MoCo's update rule of Model Swarms (its {@code swarm.py} /
 * {@code NumericSwarm}); {@link ParticleSwarm} is the box-bounded swarm with random starts used by
 * the text-level swarms. This one normalises the four weights and restarts stuck particles: per particle, with random factors {@code r ∈ [0, 1)} (or 1 without
 * weight randomness) and the four weights normalised to sum to 1,
 * <pre>
 *   v ← w·v + c·(p − x) + s·(g − x) + r·(x − worst)      (inertia, cognitive, social, repel)
 *   x ← x + step · v,    step ← max(step · step_factor, min_step)
 * </pre>
 * where {@code p} is the particle's best, {@code g} the global best and {@code worst} the global
 * worst position seen. The search stops when the global best has not improved for
 * {@code patience} updates; a particle that has not improved for {@code restartPatience} updates
 * restarts from its best with zero velocity (then waits 3 updates before it may restart again).
 * The global best never gets worse.
 */
public final class ModelSwarmOptimizer {

    /** The swarm coefficients (MoCo's names in brackets) and their MoCo defaults in {@link #DEFAULTS}. */
    public record Settings(double inertia, double cognitive, double social, double repel, double stepLength, double stepFactor,
                           double minStep, int patience, int restartPatience, boolean weightRandomness, boolean repelTerm) {
        public static final Settings DEFAULTS = new Settings(0.2, 0.3, 0.4, 0.05, 0.5, 0.95, 0.1, 5, 3, true, true);
    }

    private final Settings s;
    private final RandomGenerator random;
    private final int n;
    private final double[][] x, v, best;
    private final double[] bestScore;
    private final List<List<Double>> history = new ArrayList<>();
    private final List<Double> globalHistory = new ArrayList<>();
    private final int[] restartCooldown;
    private double[] global, worst;
    private double globalScore = Double.NEGATIVE_INFINITY, worstScore = Double.POSITIVE_INFINITY;
    private double step;

    /** A swarm from initial positions and velocities (one per particle, all of one dimension). */
    public ModelSwarmOptimizer(List<double[]> positions, List<double[]> velocities, Settings settings, RandomGenerator random) {
        if (positions.isEmpty() || positions.size() != velocities.size()) {
            throw new IllegalArgumentException("a swarm needs at least one particle and one velocity per particle");
        }
        this.s = settings;
        this.random = random;
        this.n = positions.size();
        this.x = positions.stream().map(double[]::clone).toArray(double[][]::new);
        this.v = velocities.stream().map(double[]::clone).toArray(double[][]::new);
        this.best = new double[n][];
        this.bestScore = new double[n];
        java.util.Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
        this.restartCooldown = new int[n];
        for (int i = 0; i < n; i++) history.add(new ArrayList<>());
        this.step = settings.stepLength();
    }

    /** The current positions (copies), to be scored. */
    public List<double[]> positions() {
        List<double[]> out = new ArrayList<>();
        for (double[] p : x) out.add(p.clone());
        return out;
    }

    /**
     * Records the utilities of the current positions and moves the swarm.
     *
     * @return true when the search should stop (no global improvement within patience)
     */
    public boolean update(double[] scores) {
        if (scores.length != n) throw new IllegalArgumentException("expected " + n + " scores, got " + scores.length);
        for (int i = 0; i < n; i++) {
            history.get(i).add(scores[i]);
            if (scores[i] > bestScore[i]) {
                bestScore[i] = scores[i];
                best[i] = x[i].clone();
            }
            if (scores[i] > globalScore) {
                globalScore = scores[i];
                global = x[i].clone();
            }
            if (scores[i] < worstScore) {
                worstScore = scores[i];
                worst = x[i].clone();
            }
        }
        globalHistory.add(globalScore);
        int h = globalHistory.size();
        if (h > s.patience() && globalHistory.get(h - 1) <= globalHistory.get(h - s.patience())) return true;
        for (int i = 0; i < n; i++) {
            List<Double> mine = history.get(i);
            int k = mine.size();
            if (k > s.restartPatience() && mine.get(k - 1) <= mine.get(k - s.restartPatience()) && restartCooldown[i] == 0) {
                x[i] = best[i].clone();
                java.util.Arrays.fill(v[i], 0);
                restartCooldown[i] = 3;
            } else {
                restartCooldown[i] = Math.max(0, restartCooldown[i] - 1);
            }
            double rw = r(), rp = r(), rs = r(), rb = r();
            double wSelf = rw * s.inertia(), wCog = rp * s.cognitive(), wSoc = rs * s.social(), wRep = s.repelTerm() ? rb * s.repel() : 0;
            double sum = wSelf + wCog + wSoc + wRep;
            wSelf /= sum; wCog /= sum; wSoc /= sum; wRep /= sum;
            for (int d = 0; d < x[i].length; d++) {
                v[i][d] = wSelf * v[i][d] + wCog * (best[i][d] - x[i][d]) + wSoc * (global[d] - x[i][d]) + wRep * (x[i][d] - worst[d]);
                x[i][d] += step * v[i][d];
            }
        }
        step = Math.max(step * s.stepFactor(), s.minStep());
        return false;
    }

    private double r() { return s.weightRandomness() ? random.nextDouble() : 1; }

    /** The best position seen (null before the first update). */
    public double[] globalBest() { return global == null ? null : global.clone(); }

    public double globalBestScore() { return globalScore; }

    /** The global best after each update, never decreasing. */
    public List<Double> globalBestHistory() { return List.copyOf(globalHistory); }

    /**
     * Runs up to {@code maxIterations} rounds: score all positions with {@code utility} (given
     * every position of a round at once, so it can score them in parallel), update.
     */
    public double[] optimize(int maxIterations, Function<List<double[]>, double[]> utility) {
        for (int it = 0; it < maxIterations; it++) {
            if (update(utility.apply(positions()))) break;
        }
        return globalBest();
    }
}
