package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GraphRouterNetTest {
    static double[][] random(int rows, int cols, SplittableRandom r) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) for (int j = 0; j < cols; j++) row[j] = r.nextDouble() * 2 - 1;
        return x;
    }

    static GraphRouterNet.Graph randomGraph(int n, int mm, int dim, int modelDim, SplittableRandom r) {
        double[][][] edges = new double[n][mm][];
        for (int j = 0; j < n; j++) for (int m = 0; m < mm; m++) edges[j][m] = new double[] {r.nextInt(2), r.nextDouble(), r.nextInt(2)};
        return new GraphRouterNet.Graph(random(1, dim, r)[0], random(n, dim, r), random(mm, modelDim, r), edges);
    }

    /** The backward pass (batch norm with batch statistics, two message-passing layers, edge MLP, alignment) against central differences. */
    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 6, mm = 3;
        GraphRouterNet.Graph g = randomGraph(n, mm, 5, 4, r);
        GraphRouterNet net = new GraphRouterNet(5, 4, 2, 9);
        double[] p = net.parameters();
        for (int i = 0; i < p.length; i++) p[i] += (r.nextDouble() - 0.5) * 0.6; // move γ, β and biases off their initial values
        boolean[][] visible = new boolean[n][mm], predict = new boolean[n][mm];
        double[][] labels = new double[n][mm];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < mm; m++) {
                if (j < 5) {
                    if (r.nextBoolean()) visible[j][m] = true;
                    else predict[j][m] = true;
                }
            }
            labels[j][r.nextInt(mm)] = 1;
        }
        labels[0] = new double[] {0.5, 0.5, 0}; // a tie shares the label
        double[] grad = net.gradient(g, labels, visible, predict);
        int checked = 0;
        for (int i = 0; i < p.length; i++) {
            double keep = p[i], h = 1e-6;
            p[i] = keep + h;
            double up = net.loss(g, labels, visible, predict);
            p[i] = keep - h;
            double down = net.loss(g, labels, visible, predict);
            p[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad[i], 1e-7 + 1e-4 * Math.abs(numeric), "parameter " + i);
            if (grad[i] != 0) checked++;
        }
        assertTrue(checked > p.length / 2, "most parameters get a gradient: " + checked + " of " + p.length);
    }

    /**
     * One-dimensional embeddings, hidden_features 1 (node width 2). Parameters (layout of the
     * class Javadoc): Q = 1 so a query node is (0, q); L = (0, 1)ᵀ so a model node is (0, d); the
     * edge MLP is the identity; conv 1's message map is the identity and its edge map adds the
     * first edge feature to unit 0; conv 2's maps are zero; γ = 1, β = 0; everything else 0.
     * Queries q1 = 0.5 and q2 = −1 both reach model A (d = 2), with edges (1, 1, 1) and (0, 1, 0);
     * model B (d = −1) has no visible edge. With fresh running statistics (mean 0, variance 1)
     * each batch norm divides by s = √(1 + 1e-5). By hand: conv 1 gives A (0 + 1, 2 + 0.5 − 1) =
     * (1, 1.5) and B (0, −1); after norm, ReLU, conv 2 (self term only) and norm, A is
     * (1, 1.5)/s² and B is (0, 0). A new query q = 2 is (0, 2), so its edge to A scores
     * σ((0·1 + 2·1.5/s²)/2) = σ(1.5/s²) and its edge to B σ(0) = 0.5.
     */
    @Test
    void scoresTheHandComputedTinyGraph() {
        GraphRouterNet net = new GraphRouterNet(1, 1, 1, 1);
        double[] p = net.parameters();
        assertEquals(56, p.length, "T 2, Q 2, L 4, E 12, conv1 6 + 8, norm1 4, conv2 6 + 8, norm2 4");
        Arrays.fill(p, 0);
        p[2] = 1;                      // Q
        p[5] = 1;                      // L row 1
        p[8] = p[12] = p[16] = 1;      // edge MLP identity
        p[20] = p[23] = 1;             // conv 1 message map identity
        p[26] = 1;                     // conv 1 edge map: unit 0 += feature 0
        p[34] = p[35] = 1;             // γ1
        p[52] = p[53] = 1;             // γ2
        double[][][] edges = {{{1, 1, 1}, {1, 1, 1}}, {{0, 1, 0}, {0, 1, 0}}};
        GraphRouterNet.Graph g = new GraphRouterNet.Graph(new double[] {0.3}, new double[][] {{0.5}, {-1}},
                new double[][] {{2}, {-1}}, edges);
        boolean[][] visible = {{true, false}, {true, false}};
        double[] s = net.scorer(g, visible).scores(new double[] {2});
        double s2 = 1 + 1e-5;
        assertEquals(1 / (1 + Math.exp(-1.5 / s2)), s[0], 1e-12);
        assertEquals(0.5, s[1], 1e-12);
    }

    /** Two clusters of queries, each solved only by its own model: training routes new queries of each cluster to its model. */
    @Test
    void trainingLearnsASeparableRouting() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 80, mm = 2, dim = 6;
        double[][] q = new double[n][dim];
        double[][] labels = new double[n][mm], utility = new double[n][mm];
        double[][][] edges = new double[n][mm][];
        for (int j = 0; j < n; j++) {
            int c = j % 2;
            for (int k = 0; k < dim; k++) q[j][k] = (k == c ? 1 : 0) + 0.1 * (r.nextDouble() - 0.5);
            labels[j][c] = 1;
            utility[j][c] = 1;
            for (int m = 0; m < mm; m++) edges[j][m] = new double[] {m == c ? 1 : 0, 1, m == c ? 1 : 0};
        }
        GraphRouterNet.Graph g = new GraphRouterNet.Graph(new double[dim], q, new double[][] {{1, 0}, {0, 1}}, edges);
        GraphRouterNet net = new GraphRouterNet(dim, 2, 4, 2);
        int[] train = java.util.stream.IntStream.range(0, 64).toArray(), val = java.util.stream.IntStream.range(64, 72).toArray();
        GraphRouterNet.Trained t = net.train(g, labels, utility, train, val, new GraphRouterNet.Training(200, 8, 0.5, 0.01, 1e-4), 4);
        assertEquals(1.0, t.validationUtility(), 1e-12);
        boolean[][] visible = new boolean[n][mm];
        for (int j : train) Arrays.fill(visible[j], true);
        GraphRouterNet.Scorer s = net.scorer(g, visible);
        for (int j = 72; j < n; j++) assertEquals(j % 2, Classifiers.argmax(s.scores(q[j]), -1), "query " + j);
    }
}
