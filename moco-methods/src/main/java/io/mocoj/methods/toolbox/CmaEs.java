package io.mocoj.methods.toolbox;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * Gradient-free minimisation in a box with Apache Commons Math's CMA-ES, on a fixed budget of
 * objective evaluations, keeping the best point evaluated (CMA-ES may stop at its budget
 * mid-generation; the best point seen is still returned).
 */
public final class CmaEs {
    private CmaEs() {}

    /** The best point found, its objective value, and how many evaluations were spent. */
    public record Result(double[] best, double value, int evaluations) {}

    /**
     * Minimises {@code objective} over {@code [-bound, bound]^start.length} from {@code start},
     * spending at most {@code budget} evaluations (the start point is evaluated first).
     */
    public static Result minimize(ToDoubleFunction<double[]> objective, double[] start, double bound, int budget, long seed) {
        int n = start.length;
        double[] best = start.clone();
        double[] bestValue = {objective.applyAsDouble(start)};
        int[] count = {1};
        double[] bestPoint = best;
        ObjectiveFunction f = new ObjectiveFunction(point -> {
            double v = objective.applyAsDouble(point);
            count[0]++;
            if (v < bestValue[0]) {
                bestValue[0] = v;
                System.arraycopy(point, 0, bestPoint, 0, n);
            }
            return v;
        });
        if (budget > 1) {
            double[] lower = new double[n], upper = new double[n], sigma = new double[n];
            Arrays.fill(lower, -bound);
            Arrays.fill(upper, bound);
            Arrays.fill(sigma, bound / 3);
            int population = Math.max(4, 4 + (int) Math.floor(3 * Math.log(n)));
            CMAESOptimizer cma = new CMAESOptimizer(budget, 0, true, 0, 0, new MersenneTwister(seed), false, null);
            try {
                cma.optimize(new MaxEval(budget - 1), f, GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lower, upper),
                        new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(population));
            } catch (TooManyEvaluationsException spent) {
                // the budget is the stopping rule; the best point seen is kept
            }
        }
        return new Result(bestPoint.clone(), bestValue[0], count[0]);
    }
}
