package io.mocoj.methods.bench;

import io.mocoj.methods.testing.DomainTasks;
import io.mocoj.methods.toolbox.Classifiers;
import io.mocoj.methods.toolbox.Embeddings;
import io.mocoj.methods.toolbox.GraphRouterNet;
import io.mocoj.task.Task;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The graph router's cost (not a test): GNN training at MoCo's defaults on a dev graph of 240
 * queries × 3 models, then per test query the embedding and the GNN's edge scores, side by side
 * with the trained router's logistic classifier in the same run. Dev outcomes follow the
 * simulated-specialist rule (0.9 on the model's own domain, 0.4 elsewhere).
 *
 * <p>Usage: {@code GraphRouterBenchmark [queries]} (default 200 test queries).
 */
public final class GraphRouterBenchmark {
    public static void main(String[] args) {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> domains = List.of("algebra", "law", "medicine");
        Task task = DomainTasks.generate("route", 240, queries, domains, 2);
        double[][] x = Embeddings.embed(Embeddings.miniLm(), task.dev().stream().map(e -> e.input()).toList());
        double[][] models = Embeddings.embed(Embeddings.miniLm(), domains.stream().map(d -> "an expert in " + d).toList());
        double[] taskNode = Embeddings.embed(Embeddings.miniLm(), List.of("a question answering task"))[0];
        int n = x.length, k = domains.size();
        SplittableRandom r = new SplittableRandom(3);
        double[][] scores = new double[k][n], utility = new double[n][k];
        double[][][] edges = new double[n][k][];
        for (int q = 0; q < n; q++) {
            for (int m = 0; m < k; m++) {
                double p = m == q % k ? 0.9 : 0.4;
                scores[m][q] = utility[q][m] = r.nextDouble() < p ? 1 : 0;
                edges[q][m] = new double[] {scores[m][q], 1, scores[m][q]};
            }
        }
        double[][] labels = Classifiers.bestShares(scores);
        GraphRouterNet.Graph graph = new GraphRouterNet.Graph(taskNode, x, models, edges);
        int[] train = java.util.stream.IntStream.range(0, 192).toArray(), val = java.util.stream.IntStream.range(192, 216).toArray();

        GraphRouterNet net = new GraphRouterNet(x[0].length, models[0].length, 8, 1);
        long t0 = System.nanoTime();
        GraphRouterNet.Trained fit = net.train(graph, labels, utility, train, val, new GraphRouterNet.Training(500, 32, 0.5, 1e-4, 1e-4), 2);
        double gnnTrain = (System.nanoTime() - t0) / 1e9;
        boolean[][] visible = new boolean[n][k];
        for (int q : train) Arrays.fill(visible[q], true);
        GraphRouterNet.Scorer gnn = net.scorer(graph, visible);
        t0 = System.nanoTime();
        Classifiers.CrossFit logistic = Classifiers.crossFit("logistic", x, labels, k, 10, 1, 5);
        double logisticTrain = (System.nanoTime() - t0) / 1e9;
        System.out.printf("training on %d dev queries: GNN (500 epochs x 32 masks) %.2f s (best epoch %d); logistic (5 folds) %.2f s%n",
                n, gnnTrain, fit.bestEpoch(), logisticTrain);

        long embed = 0, gnnScore = 0, logisticScore = 0;
        for (int i = 0; i < queries; i++) {
            long a = System.nanoTime();
            double[] v = Embeddings.embedWithoutCache(Embeddings.miniLm(), List.of(task.test().get(i).input()))[0];
            long b = System.nanoTime();
            gnn.scores(v);
            long c = System.nanoTime();
            logistic.probabilities(i, v);
            long d = System.nanoTime();
            embed += b - a;
            gnnScore += c - b;
            logisticScore += d - c;
        }
        System.out.printf("per query (%d queries): embedding %.2f ms, GNN scores %.4f ms, logistic %.4f ms%n",
                queries, embed / 1e6 / queries, gnnScore / 1e6 / queries, logisticScore / 1e6 / queries);
    }
}
