package io.mocoj.methods.toolbox;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * GraphRouter's GNN in MoCo's form (Feng et al., "GraphRouter", ICLR 2025): a bipartite graph of
 * query nodes and model nodes with one edge per (query, model), carrying that model's dev result
 * on that query; the network predicts, per edge, whether the model is the query's best.
 *
 * <ol>
 *   <li>Node features: a query node is {@code [T·task + bT, Q·query + bQ]} (task-description and
 *       query embeddings each mapped to {@code hidden} units), a model node {@code L·description + bL}
 *       ({@code 2·hidden} units).</li>
 *   <li>Edge features {@code e = (effect, cost, effect)} pass through {@code relu(E·e + bE)}.</li>
 *   <li>Two GeneralConv layers (sum aggregation, messages {@code M·x_query + bM + Ee·edge + bEe}
 *       from query to model along the visible edges, identity self term), each followed by batch
 *       normalisation over all nodes; a ReLU between them.</li>
 *   <li>Edge score {@code σ(mean_k(x0_query[k] · x_model[k]))} with {@code x0} the node features of
 *       step 1 and {@code x_model} the model node after step 3.</li>
 * </ol>
 * Training minimises binary cross-entropy of the predicted edges, averaged over {@code batch}
 * random splits per step of the training edges into visible (share {@code trainMaskRate}) and
 * predicted ones, with AdamW; batch normalisation uses batch statistics in training (running
 * statistics, momentum 0.1, for scoring), as PyTorch does. The parameters are one flat vector
 * (layout: T, Q, L, E, conv 1 M and Ee, norm 1 γ β, conv 2 M and Ee, norm 2 γ β; each layer weights
 * row-major then biases) and {@link #loss} / {@link #gradient} are exposed for gradient checks.
 */
public final class GraphRouterNet {
    /** Width of the edge features (effect, cost, effect). */
    public static final int EDGE_FEATURES = 3;
    static final double BN_EPS = 1e-5, BN_MOMENTUM = 0.1;

    /**
     * The graph: {@code queries[q]} and {@code models[m]} embeddings, the task-description
     * embedding, and {@code edges[q][m]} the features of edge (q, m).
     */
    public record Graph(double[] task, double[][] queries, double[][] models, double[][][] edges) {
        int n() { return queries.length; }
        int m() { return models.length; }
    }

    /** Training settings (MoCo's names: {@code train_epochs}, {@code batch_size}, {@code train_mask_rate}, ...). */
    public record Training(int epochs, int batch, double trainMaskRate, double learningRate, double weightDecay) {}

    /** The outcome of {@link #train}: the epoch kept (best validation utility; the last when there is no validation split). */
    public record Trained(int bestEpoch, double validationUtility, double finalLoss) {}

    private final int dim, modelDim, h, width;
    private final int oTask, oQuery, oLlm, oEdge, oMsg1, oEdge1, oNorm1, oMsg2, oEdge2, oNorm2;
    private final double[] params;
    private final double[] runMean1, runVar1, runMean2, runVar2;

    /**
     * @param dim      query (and task) embedding size
     * @param modelDim model-description embedding size
     * @param hidden   MoCo's {@code hidden_features}; nodes have {@code 2·hidden} units
     * @param seed     initialisation seed (PyTorch's default: uniform ±1/√fan_in; γ = 1, β = 0)
     */
    public GraphRouterNet(int dim, int modelDim, int hidden, long seed) {
        if (dim < 1 || modelDim < 1 || hidden < 1) throw new IllegalArgumentException("need positive sizes");
        this.dim = dim;
        this.modelDim = modelDim;
        this.h = hidden;
        this.width = 2 * hidden;
        int e = EDGE_FEATURES;
        oTask = 0;
        oQuery = oTask + Dense.size(dim, h);
        oLlm = oQuery + Dense.size(dim, h);
        oEdge = oLlm + Dense.size(modelDim, width);
        oMsg1 = oEdge + Dense.size(e, e);
        oEdge1 = oMsg1 + Dense.size(width, width);
        oNorm1 = oEdge1 + Dense.size(e, width);
        oMsg2 = oNorm1 + 2 * width;
        oEdge2 = oMsg2 + Dense.size(width, width);
        oNorm2 = oEdge2 + Dense.size(e, width);
        params = new double[oNorm2 + 2 * width];
        SplittableRandom r = new SplittableRandom(seed);
        Dense.initTorch(params, oTask, dim, h, r);
        Dense.initTorch(params, oQuery, dim, h, r);
        Dense.initTorch(params, oLlm, modelDim, width, r);
        Dense.initTorch(params, oEdge, e, e, r);
        for (int[] conv : new int[][] {{oMsg1, oEdge1, oNorm1}, {oMsg2, oEdge2, oNorm2}}) {
            Dense.initTorch(params, conv[0], width, width, r);
            Dense.initTorch(params, conv[1], e, width, r);
            Arrays.fill(params, conv[2], conv[2] + width, 1.0);
        }
        runMean1 = new double[width];
        runMean2 = new double[width];
        runVar1 = new double[width];
        runVar2 = new double[width];
        Arrays.fill(runVar1, 1);
        Arrays.fill(runVar2, 1);
    }

    /** The parameter vector (live: writes change the network). */
    public double[] parameters() { return params; }

    public int hidden() { return h; }

    // ---- forward ------------------------------------------------------------------------------

    /** Node features of step 1: query rows 0..n-1, then model rows. */
    private double[][] align(Graph g) {
        double[] task = new double[h];
        Dense.forward(params, oTask, g.task(), dim, h, task);
        double[][] x0 = new double[g.n() + g.m()][width];
        double[] q = new double[h];
        for (int j = 0; j < g.n(); j++) {
            System.arraycopy(task, 0, x0[j], 0, h);
            Dense.forward(params, oQuery, g.queries()[j], dim, h, q);
            System.arraycopy(q, 0, x0[j], h, h);
        }
        for (int m = 0; m < g.m(); m++) Dense.forward(params, oLlm, g.models()[m], modelDim, width, x0[g.n() + m]);
        return x0;
    }

    /** Everything the backward pass needs. */
    private static final class Pass {
        double[][] x0, edgePre, edgeSum, in1, c1, xhat1, z1, in2, c2, xhat2, x;
        double[] count, invStd1, invStd2;
        boolean[][] visible;
    }

    private Pass forward(Graph g, double[][] x0, boolean[][] visible, boolean train, boolean updateStats) {
        int n = g.n(), mm = g.m(), e = EDGE_FEATURES;
        Pass p = new Pass();
        p.x0 = x0;
        p.visible = visible;
        p.count = new double[mm];
        p.edgePre = new double[n * mm][];
        p.edgeSum = new double[mm][e];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < mm; m++) {
                if (!visible[j][m]) continue;
                double[] pre = new double[e];
                Dense.forward(params, oEdge, g.edges()[j][m], e, e, pre);
                p.edgePre[j * mm + m] = pre;
                for (int k = 0; k < e; k++) p.edgeSum[m][k] += Math.max(0, pre[k]);
                p.count[m]++;
            }
        }
        p.in1 = sources(x0, visible, n, mm);
        p.c1 = conv(x0, p.in1, p.edgeSum, p.count, oMsg1, oEdge1, n);
        p.invStd1 = new double[width];
        p.xhat1 = norm(p.c1, oNorm1, runMean1, runVar1, p.invStd1, train, updateStats);
        double[][] y1 = affine(p.xhat1, oNorm1);
        p.z1 = new double[y1.length][width];
        for (int r = 0; r < y1.length; r++) for (int k = 0; k < width; k++) p.z1[r][k] = Math.max(0, y1[r][k]);
        p.in2 = sources(p.z1, visible, n, mm);
        p.c2 = conv(p.z1, p.in2, p.edgeSum, p.count, oMsg2, oEdge2, n);
        p.invStd2 = new double[width];
        p.xhat2 = norm(p.c2, oNorm2, runMean2, runVar2, p.invStd2, train, updateStats);
        p.x = affine(p.xhat2, oNorm2);
        return p;
    }

    /** Per model, the sum of the features of the query nodes whose edge to it is visible. */
    private double[][] sources(double[][] x, boolean[][] visible, int n, int mm) {
        double[][] s = new double[mm][width];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < mm; m++) {
                if (visible[j][m]) for (int k = 0; k < width; k++) s[m][k] += x[j][k];
            }
        }
        return s;
    }

    /** A GeneralConv layer: queries keep their features; model m gets Σ messages + its own features. */
    private double[][] conv(double[][] x, double[][] sourceSum, double[][] edgeSum, double[] count, int oMsg, int oEdgeLin, int n) {
        double[][] out = new double[x.length][];
        for (int j = 0; j < n; j++) out[j] = x[j].clone();
        double[] a = new double[width], b = new double[width];
        for (int m = 0; m < sourceSum.length; m++) {
            Dense.forward(params, oMsg, sourceSum[m], width, width, a, count[m]);
            Dense.forward(params, oEdgeLin, edgeSum[m], EDGE_FEATURES, width, b, count[m]);
            double[] row = x[n + m].clone();
            for (int k = 0; k < width; k++) row[k] += a[k] + b[k];
            out[n + m] = row;
        }
        return out;
    }

    /** The normalised values x̂ of a batch-norm layer (batch statistics in training, running ones otherwise). */
    private double[][] norm(double[][] v, int oNorm, double[] runMean, double[] runVar, double[] invStd, boolean train, boolean update) {
        int rows = v.length;
        double[] mean = new double[width], var = new double[width];
        if (train) {
            for (double[] r : v) for (int k = 0; k < width; k++) mean[k] += r[k] / rows;
            for (double[] r : v) for (int k = 0; k < width; k++) var[k] += (r[k] - mean[k]) * (r[k] - mean[k]) / rows;
            if (update) {
                for (int k = 0; k < width; k++) {
                    runMean[k] = (1 - BN_MOMENTUM) * runMean[k] + BN_MOMENTUM * mean[k];
                    runVar[k] = (1 - BN_MOMENTUM) * runVar[k] + BN_MOMENTUM * var[k] * rows / Math.max(1, rows - 1);
                }
            }
        } else {
            System.arraycopy(runMean, 0, mean, 0, width);
            System.arraycopy(runVar, 0, var, 0, width);
        }
        for (int k = 0; k < width; k++) invStd[k] = 1 / Math.sqrt(var[k] + BN_EPS);
        double[][] xhat = new double[rows][width];
        for (int r = 0; r < rows; r++) for (int k = 0; k < width; k++) xhat[r][k] = (v[r][k] - mean[k]) * invStd[k];
        return xhat;
    }

    private double[][] affine(double[][] xhat, int oNorm) {
        double[][] y = new double[xhat.length][width];
        for (int r = 0; r < xhat.length; r++) for (int k = 0; k < width; k++) y[r][k] = params[oNorm + k] * xhat[r][k] + params[oNorm + width + k];
        return y;
    }

    private double logit(double[] query, double[] model) {
        double s = 0;
        for (int k = 0; k < width; k++) s += query[k] * model[k];
        return s / width;
    }

    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    // ---- loss and backward --------------------------------------------------------------------

    /** Mean binary cross-entropy of the predicted edges against {@code labels[q][m]} (batch statistics, running statistics untouched). */
    public double loss(Graph g, double[][] labels, boolean[][] visible, boolean[][] predict) {
        Pass p = forward(g, align(g), visible, true, false);
        double total = 0;
        int count = 0;
        for (int j = 0; j < g.n(); j++) {
            for (int m = 0; m < g.m(); m++) {
                if (!predict[j][m]) continue;
                double s = sigmoid(logit(p.x0[j], p.x[g.n() + m]));
                total -= labels[j][m] * Math.max(-100, Math.log(s)) + (1 - labels[j][m]) * Math.max(-100, Math.log(1 - s));
                count++;
            }
        }
        return count == 0 ? 0 : total / count;
    }

    /** Gradient of {@link #loss} with respect to {@link #parameters()}. */
    public double[] gradient(Graph g, double[][] labels, boolean[][] visible, boolean[][] predict) {
        double[] grad = new double[params.length];
        double[][] x0 = align(g);
        double[][] dx0 = new double[x0.length][width];
        backward(g, forward(g, x0, visible, true, false), labels, predict, 1, grad, dx0);
        alignBackward(g, dx0, grad);
        return grad;
    }

    /** Adds {@code scale ×} the gradient of one mask's loss (graph part) to {@code grad}, node-feature gradient to {@code dx0}. */
    private void backward(Graph g, Pass p, double[][] labels, boolean[][] predict, double scale, double[] grad, double[][] dx0) {
        int n = g.n(), mm = g.m(), e = EDGE_FEATURES;
        int predicted = 0;
        for (boolean[] row : predict) for (boolean b : row) if (b) predicted++;
        if (predicted == 0) return;
        double[][] dx = new double[n + mm][width];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < mm; m++) {
                if (!predict[j][m]) continue;
                double d = (sigmoid(logit(p.x0[j], p.x[n + m])) - labels[j][m]) * scale / predicted / width;
                for (int k = 0; k < width; k++) {
                    dx[n + m][k] += d * p.x0[j][k];
                    dx0[j][k] += d * p.x[n + m][k];
                }
            }
        }
        double[][] dEdgeSum = new double[mm][e];
        double[][] dc2 = normBackward(dx, p.xhat2, p.invStd2, oNorm2, grad);
        double[][] dz1 = convBackward(dc2, p.in2, p.edgeSum, p.count, oMsg2, oEdge2, n, p.visible, grad, dEdgeSum);
        for (int r = 0; r < dz1.length; r++) for (int k = 0; k < width; k++) if (p.z1[r][k] <= 0) dz1[r][k] = 0;
        double[][] dc1 = normBackward(dz1, p.xhat1, p.invStd1, oNorm1, grad);
        double[][] dIn = convBackward(dc1, p.in1, p.edgeSum, p.count, oMsg1, oEdge1, n, p.visible, grad, dEdgeSum);
        for (int r = 0; r < dIn.length; r++) for (int k = 0; k < width; k++) dx0[r][k] += dIn[r][k];
        double[] dPre = new double[e];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < mm; m++) {
                double[] pre = p.edgePre[j * mm + m];
                if (pre == null) continue;
                for (int k = 0; k < e; k++) dPre[k] = pre[k] > 0 ? dEdgeSum[m][k] : 0;
                Dense.accumulate(grad, oEdge, g.edges()[j][m], dPre, e, e);
            }
        }
    }

    /** Back through γ·x̂ + β and the batch statistics; returns the gradient of the layer's input. */
    private double[][] normBackward(double[][] dy, double[][] xhat, double[] invStd, int oNorm, double[] grad) {
        int rows = dy.length;
        double[] sumD = new double[width], sumDx = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                grad[oNorm + k] += dy[r][k] * xhat[r][k];
                grad[oNorm + width + k] += dy[r][k];
                double dxh = dy[r][k] * params[oNorm + k];
                sumD[k] += dxh;
                sumDx[k] += dxh * xhat[r][k];
            }
        }
        double[][] out = new double[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                double dxh = dy[r][k] * params[oNorm + k];
                out[r][k] = invStd[k] / rows * (rows * dxh - sumD[k] - xhat[r][k] * sumDx[k]);
            }
        }
        return out;
    }

    /** Back through a GeneralConv layer; returns the gradient of its node input, adds the edge-feature-sum gradient. */
    private double[][] convBackward(double[][] dOut, double[][] sourceSum, double[][] edgeSum, double[] count, int oMsg, int oEdgeLin,
                                    int n, boolean[][] visible, double[] grad, double[][] dEdgeSum) {
        int mm = sourceSum.length;
        double[][] dIn = new double[dOut.length][];
        for (int r = 0; r < dOut.length; r++) dIn[r] = dOut[r].clone(); // identity self term (queries: their only term)
        for (int m = 0; m < mm; m++) {
            double[] d = dOut[n + m];
            Dense.accumulate(grad, oMsg, sourceSum[m], d, width, width, count[m]);
            Dense.accumulate(grad, oEdgeLin, edgeSum[m], d, EDGE_FEATURES, width, count[m]);
            Dense.backInput(params, oEdgeLin, d, EDGE_FEATURES, width, dEdgeSum[m]);
            double[] toSource = new double[width];
            Dense.backInput(params, oMsg, d, width, width, toSource);
            for (int j = 0; j < n; j++) {
                if (visible[j][m]) for (int k = 0; k < width; k++) dIn[j][k] += toSource[k];
            }
        }
        return dIn;
    }

    /** Back through step 1. */
    private void alignBackward(Graph g, double[][] dx0, double[] grad) {
        double[] dTask = new double[h], dq = new double[h];
        for (int j = 0; j < g.n(); j++) {
            for (int k = 0; k < h; k++) {
                dTask[k] += dx0[j][k];
                dq[k] = dx0[j][h + k];
            }
            Dense.accumulate(grad, oQuery, g.queries()[j], dq, dim, h);
        }
        Dense.accumulate(grad, oTask, g.task(), dTask, dim, h, 1);
        for (int m = 0; m < g.m(); m++) Dense.accumulate(grad, oLlm, g.models()[m], dx0[g.n() + m], modelDim, width);
    }

    // ---- training and scoring -----------------------------------------------------------------

    /**
     * Trains on the edges of queries {@code train} and keeps the epoch whose routing (per
     * validation query, the model with the highest score) has the highest mean {@code utility[q][m]}.
     */
    public Trained train(Graph g, double[][] labels, double[][] utility, int[] train, int[] validation, Training t, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = g.n(), mm = g.m();
        boolean[][] trainEdges = new boolean[n][mm];
        for (int j : train) Arrays.fill(trainEdges[j], true);
        Adam adam = new Adam(params.length, t.learningRate(), t.weightDecay());
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = t.epochs() - 1;
        double[] keep = null;
        double[][] keepStats = null;
        for (int epoch = 0; epoch < t.epochs(); epoch++) {
            double[][] x0 = align(g);
            double[][] dx0 = new double[x0.length][width];
            double[] grad = new double[params.length];
            for (int b = 0; b < t.batch(); b++) {
                boolean[][] visible = new boolean[n][mm], predict = new boolean[n][mm];
                for (int j : train) {
                    for (int m = 0; m < mm; m++) {
                        if (rnd.nextDouble() < t.trainMaskRate()) visible[j][m] = true;
                        else predict[j][m] = true;
                    }
                }
                backward(g, forward(g, x0, visible, true, true), labels, predict, 1.0 / t.batch(), grad, dx0);
            }
            alignBackward(g, dx0, grad);
            adam.step(params, grad);
            if (validation.length > 0) {
                Scorer s = scorer(g, trainEdges);
                double u = 0;
                for (int j : validation) u += utility[j][Classifiers.argmax(s.scores(g.queries()[j]), -1)];
                u /= validation.length;
                if (u > best) {
                    best = u;
                    bestEpoch = epoch;
                    keep = params.clone();
                    keepStats = new double[][] {runMean1.clone(), runVar1.clone(), runMean2.clone(), runVar2.clone()};
                }
            }
        }
        if (keep != null) {
            System.arraycopy(keep, 0, params, 0, params.length);
            double[][] live = {runMean1, runVar1, runMean2, runVar2};
            for (int i = 0; i < 4; i++) System.arraycopy(keepStats[i], 0, live[i], 0, width);
        }
        boolean[][] predictTrain = new boolean[n][mm];
        for (int j : train) Arrays.fill(predictTrain[j], true);
        return new Trained(bestEpoch, validation.length == 0 ? Double.NaN : best, loss(g, labels, trainEdges, predictTrain));
    }

    /**
     * A frozen scorer: the model nodes' states on graph {@code g} with edges {@code visible}
     * (running batch-norm statistics), scoring any query embedding against them. Thread-safe.
     */
    public Scorer scorer(Graph g, boolean[][] visible) {
        Pass p = forward(g, align(g), visible, false, false);
        double[][] models = new double[g.m()][];
        for (int m = 0; m < g.m(); m++) models[m] = p.x[g.n() + m].clone();
        double[] task = new double[h];
        Dense.forward(params, oTask, g.task(), dim, h, task);
        return new Scorer(params.clone(), task, models);
    }

    /** Edge scores of a query against frozen model states. */
    public final class Scorer {
        private final double[] frozen, task;
        private final double[][] models;

        private Scorer(double[] frozen, double[] task, double[][] models) {
            this.frozen = frozen;
            this.task = task;
            this.models = models;
        }

        /** Per model, the probability that it is this query's best. */
        public double[] scores(double[] query) {
            double[] x0 = new double[width], q = new double[h];
            System.arraycopy(task, 0, x0, 0, h);
            Dense.forward(frozen, oQuery, query, dim, h, q);
            System.arraycopy(q, 0, x0, h, h);
            double[] s = new double[models.length];
            for (int m = 0; m < models.length; m++) s[m] = sigmoid(logit(x0, models[m]));
            return s;
        }
    }
}
