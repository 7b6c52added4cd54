package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {
    static void checkGradient(Mlp net, double[][] x, int[] y) {
        double[] g = net.gradient(x, y);
        double[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            double keep = p[i], h = 1e-5;
            p[i] = keep + h;
            double up = net.loss(x, y);
            p[i] = keep - h;
            double down = net.loss(x, y);
            p[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, g[i], 1e-6 + 1e-4 * Math.abs(numeric), "parameter " + i);
        }
    }

    static double[][] randomInputs(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) for (int j = 0; j < d; j++) row[j] = r.nextDouble() * 2 - 1;
        return x;
    }

    @Test
    void backwardPassMatchesFiniteDifferences() {
        double[][] x = randomInputs(7, 4, 1);
        int[] y = {0, 2, 1, 1, 0, 2, 2};
        checkGradient(new Mlp(4, 0, 3, 0.0, 3), x, y);
        checkGradient(new Mlp(4, 5, 3, 0.1, 4), x, y);
        checkGradient(new Mlp(4, 3, 2, 0.0, 5), x, new int[] {0, 1, 1, 0, 0, 1, 0});
    }

    /**
     * Logistic regression on x ∈ {0, 1} with 1 of 4 positive at x = 0 and 3 of 4 at x = 1: the
     * maximum-likelihood fit (by hand) makes σ(b) = 1/4 and σ(w + b) = 3/4, so w = 2·ln 3 and
     * b = −ln 3 in the log-odds of class 1. With two softmax classes only the differences of the
     * class parameters are identified.
     */
    @Test
    void logisticRegressionReachesTheHandComputedMaximumLikelihoodFit() {
        double[][] x = {{0}, {0}, {0}, {0}, {1}, {1}, {1}, {1}};
        int[] y = {1, 0, 0, 0, 1, 1, 1, 0};
        Mlp lr = new Mlp(1, 0, 2, 0.0, 7);
        lr.fit(x, y, 3000, 0.05);
        double[] p = lr.parameters(); // W (2×1), b (2)
        assertEquals(2 * Math.log(3), p[1] - p[0], 1e-3, "w");
        assertEquals(-Math.log(3), p[3] - p[2], 1e-3, "b");
        assertEquals(0.25, lr.probabilities(new double[] {0})[1], 1e-4);
        assertEquals(0.75, lr.probabilities(new double[] {1})[1], 1e-4);
    }

    @Test
    void hiddenLayerLearnsXor() {
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        int[] y = {0, 1, 1, 0};
        Mlp net = new Mlp(2, 8, 2, 0.0, 11);
        double loss = net.fit(x, y, 2000, 0.05);
        assertTrue(loss < 0.05, "loss " + loss);
        for (int i = 0; i < 4; i++) assertTrue(net.probabilities(x[i])[y[i]] > 0.9, "xor " + i);
        // logistic regression cannot: its best fit predicts 1/2 everywhere
        Mlp linear = new Mlp(2, 0, 2, 0.0, 11);
        linear.fit(x, y, 2000, 0.05);
        assertEquals(0.5, linear.probabilities(x[0])[1], 1e-2);
    }
}
