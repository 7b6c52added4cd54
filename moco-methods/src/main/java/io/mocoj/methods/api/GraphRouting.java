package io.mocoj.methods.api;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.CalibrationTarget;
import io.mocoj.methods.toolbox.Classifiers;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Embeddings;
import io.mocoj.methods.toolbox.GraphRouterNet;
import io.mocoj.methods.toolbox.RouterCalibration;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * {@code api_graph_routing} (GraphRouter, Feng et al., ICLR 2025, as MoCo runs it): every model
 * answers the dev split; a graph joins each dev query node (its embedding and the task
 * description's) to each model node (its description's embedding) by an edge carrying the model's
 * dev score and cost on that query; a small GNN ({@link GraphRouterNet}) is trained on the first
 * {@code split_ratio[0]} of dev to predict, per edge, whether the model is the query's best under the
 * {@code scenario}'s weighing of score against cost; the epoch with the best routing on the next
 * {@code split_ratio[1]} is kept; each test query goes to the model with the highest edge score.
 *
 * <p>Departures from MoCo, each documented in docs/methods/api-level.md: edge costs are the
 * models' real dev costs (MoCo puts 1.0 on every edge); tied best models share the label (MoCo
 * labels the first); epochs are chosen by validation utility rather than macro-F1; and a test query
 * is scored against the model nodes of the dev graph (MoCo builds a second graph of the test
 * queries with placeholder edges), so a query's route does not depend on the other test queries.
 */
public final class GraphRouting extends ConfiguredMethod<GraphRouting> {
    public static final String NAME = "api_graph_routing";
    /** MoCo's scenarios and their (score, cost) weights. */
    public static final List<String> SCENARIOS = List.of("Performance First", "Balance", "Cost First");
    private static final double[][] WEIGHTS = {{1.0, 0.0}, {0.5, 0.5}, {0.2, 0.8}};

    static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("model_descriptions", ParameterSpec.Type.STRING_LIST, null, "a list of strings, one per pool model (required)",
                    null, "one description per pool model, in pool order: the model nodes' features"),
            ParameterSpec.text("task_description", null, "the task node's text (default: the task's name)"),
            ParameterSpec.text("embedding_model_name", Embeddings.MINILM, "query, task and description embeddings (the in-jar all-MiniLM-L6-v2)"),
            ParameterSpec.integer("hidden_features", 8, 1, 1024, "GNN width: node features have 2 × hidden_features units"),
            ParameterSpec.integer("in_edges", GraphRouterNet.EDGE_FEATURES, GraphRouterNet.EDGE_FEATURES, GraphRouterNet.EDGE_FEATURES,
                    "edge-feature width: the edges carry (score, cost, score), so 3"),
            ParameterSpec.real("learning_rate", 1e-4, 1e-7, 1.0, "AdamW learning rate"),
            ParameterSpec.real("weight_decay", 1e-4, 0.0, 1.0, "AdamW weight decay"),
            ParameterSpec.integer("train_epochs", 500, 1, 100_000, "training steps (full graph each)"),
            ParameterSpec.integer("masks_per_step", 32, 1, 10_000,
                    "random visible/predicted edge splits averaged per step (MoCo reads this from batch_size)"),
            ParameterSpec.real("train_mask_rate", 0.5, 0.01, 0.99, "share of training edges visible to message passing in each split"),
            new ParameterSpec("split_ratio", ParameterSpec.Type.DOUBLE_LIST, List.of(0.8, 0.1, 0.1),
                    "three non-negative numbers summing to 1 (train, validation, held out)",
                    v -> validSplit(v), "how dev is split into GNN training, epoch selection and a held-out check"),
            ParameterSpec.choice("scenario", SCENARIOS.get(0), SCENARIOS,
                    "labels weigh score against normalised cost: 1/0, 0.5/0.5 or 0.2/0.8"),
            ParameterSpec.real("ratio", 1.0, 0.01, 1.0, "share of the dev split used to build the graph"),
            ParameterSpec.bool("shuffle_labels", false, "a leakage control: permute the dev queries' outcomes before training"),
            CalibrationTarget.parameter());

    private final List<String> descriptions;
    private final String taskDescription, scenario;
    private final int hidden;
    private final GraphRouterNet.Training training;
    private final List<Double> split;
    private final double ratio;
    private final boolean shuffle;
    private final CalibrationTarget target;
    private final EmbeddingModel embeddings;

    GraphRouting(MethodFactory factory, Hyperparameters h) { this(factory, h, null); }

    private GraphRouting(MethodFactory factory, Hyperparameters h, EmbeddingModel embeddings) {
        super(factory, h);
        List<String> d = h.getList("model_descriptions");
        this.descriptions = d == null ? null : List.copyOf(d);
        this.taskDescription = h.getString("task_description");
        this.scenario = h.getString("scenario");
        this.hidden = h.getInt("hidden_features");
        this.training = new GraphRouterNet.Training(h.getInt("train_epochs"), h.getInt("masks_per_step"), h.getDouble("train_mask_rate"),
                h.getDouble("learning_rate"), h.getDouble("weight_decay"));
        this.split = List.copyOf(h.<Double>getList("split_ratio"));
        this.ratio = h.getDouble("ratio");
        this.shuffle = h.getBoolean("shuffle_labels");
        this.target = CalibrationTarget.from(h.getMap(CalibrationTarget.KEY));
        this.embeddings = embeddings;
        if (embeddings == null) Embeddings.requireInJar(NAME, "embedding_model_name", h.getString("embedding_model_name"));
    }

    private static boolean validSplit(Object v) {
        List<?> l = (List<?>) v;
        if (l.size() != 3) return false;
        double sum = 0;
        for (Object o : l) {
            double x = ((Number) o).doubleValue();
            if (!(x >= 0)) return false;
            sum += x;
        }
        return Math.abs(sum - 1) < 1e-6 && ((Number) l.get(0)).doubleValue() > 0;
    }

    @Override
    public GraphRouting with(String key, Object value) {
        GraphRouting copy = super.with(key, value);
        return embeddings == null ? copy : new GraphRouting(factory(), copy.hyperparameters(), embeddings);
    }

    /** A copy embedding queries and descriptions with this model instead of all-MiniLM-L6-v2. */
    public GraphRouting embeddingModel(EmbeddingModel model) {
        return new GraphRouting(factory(), hyperparameters(), Objects.requireNonNull(model, "model"));
    }

    /** A copy with these model descriptions (one per pool model, in pool order). */
    public GraphRouting modelDescriptions(List<String> d) { return with("model_descriptions", d); }

    /** A copy with this scenario ({@code Performance First}, {@code Balance}, {@code Cost First}). */
    public GraphRouting scenario(String s) { return with("scenario", s); }

    /** A copy calibrated on dev to this target. */
    public GraphRouting calibrate(CalibrationTarget t) { return with(CalibrationTarget.KEY, t.asConfig()); }

    /** A copy trained on permuted dev outcomes (a leakage control). */
    public GraphRouting shuffleLabels(boolean s) { return with("shuffle_labels", s); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (models.size() < 2) throw new IllegalArgumentException("method " + NAME + " routes between models: the pool needs at least 2, it has " + models.size());
        if (descriptions == null || descriptions.size() != models.size()) {
            throw new IllegalArgumentException("method " + NAME + " needs hyperparameter 'model_descriptions' with one description per pool"
                    + " model (" + models.size() + ", in pool order)" + (descriptions == null ? "" : "; it has " + descriptions.size()));
        }
        RouterCalibration.checkPrices(NAME, target, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        DevEvaluation dev = context.devEvaluation();
        int n = (int) Math.ceil(ratio * dev.examples().size()), K = models.size();
        int nTrain = (int) (n * split.get(0)), nVal = (int) (n * split.get(1));
        if (nTrain < 1) {
            throw new IllegalArgumentException("method " + NAME + " trains its GNN on the dev split, but task '" + context.task().name()
                    + "' has " + dev.examples().size() + " dev examples, too few for split_ratio " + split + " and ratio " + ratio);
        }
        // 1. Edge features: each model's dev score and normalised cost on each dev query.
        int[] used = IntStream.range(0, n).toArray();
        double[][] scores = RouterCalibration.columns(RouterCalibration.devScores(dev), used);
        double[][] costs = RouterCalibration.columns(RouterCalibration.devCosts(models, dev), used);
        if (shuffle) permuteQueries(scores, costs, new SplittableRandom(context.settings().seed() ^ 0x5EED));
        double[][] cost = normalisedCosts(scores, costs);
        double[] w = WEIGHTS[SCENARIOS.indexOf(scenario)];
        double[][] utility = new double[K][n], utilityByQuery = new double[n][K];
        double[][][] edges = new double[n][K][];
        for (int q = 0; q < n; q++) {
            for (int m = 0; m < K; m++) {
                utility[m][q] = utilityByQuery[q][m] = w[0] * scores[m][q] - w[1] * cost[m][q];
                edges[q][m] = new double[] {scores[m][q], cost[m][q], scores[m][q]};
            }
        }
        // 2. Labels: the scenario's best model(s) per query.
        double[][] labels = Classifiers.bestShares(utility);

        // 3. Nodes: query, task-description and model-description embeddings.
        EmbeddingModel model = embeddings != null ? embeddings : Embeddings.miniLm();
        long started = System.nanoTime();
        double[][] qDev = embed(context, model, dev.examples().subList(0, n)), qTest = embed(context, model, context.task().test());
        double[] task = Embeddings.embed(model, List.of(taskDescription != null ? taskDescription : context.task().name()))[0];
        double[][] modelNodes = Embeddings.embed(model, descriptions);
        long embeddingMillis = (System.nanoTime() - started) / 1_000_000;
        GraphRouterNet.Graph graph = new GraphRouterNet.Graph(task, qDev, modelNodes, edges);

        // 4. Train the GNN on the training queries' edges, keep the best epoch on validation.
        int[] train = IntStream.range(0, nTrain).toArray(), val = IntStream.range(nTrain, nTrain + nVal).toArray();
        int[] heldOut = IntStream.range(nTrain, n).toArray();
        GraphRouterNet net = new GraphRouterNet(task.length, modelNodes[0].length, hidden, context.settings().seed());
        started = System.nanoTime();
        GraphRouterNet.Trained fit = net.train(graph, labels, utilityByQuery, train, val, training, context.settings().seed() + 1);
        long trainMillis = (System.nanoTime() - started) / 1_000_000;
        boolean[][] trainEdges = new boolean[n][K];
        for (int q : train) java.util.Arrays.fill(trainEdges[q], true);
        GraphRouterNet.Scorer router = net.scorer(graph, trainEdges);

        // 5. Calibrate on the queries the GNN did not train on; trace the dev cost–quality curve.
        int strong = RouterCalibration.strongModel(K, costs);
        double[] devStrong = new double[heldOut.length];
        int[] devOther = new int[heldOut.length];
        for (int i = 0; i < heldOut.length; i++) {
            double[] s = router.scores(qDev[heldOut[i]]);
            devStrong[i] = s[strong];
            devOther[i] = Classifiers.argmax(s, strong);
        }
        if (target != null && heldOut.length == 0) {
            throw new IllegalArgumentException("method " + NAME + ": calibrate needs dev queries the GNN does not train on, and split_ratio "
                    + split + " leaves none; give the validation / held-out parts a share");
        }
        RouterCalibration.Result cal = RouterCalibration.calibrate(target, strong, devStrong, devOther,
                RouterCalibration.columns(scores, heldOut), RouterCalibration.columns(costs, heldOut));
        context.trace().record("graph", graphTrace(n, K, nTrain, nVal, fit, embeddingMillis, trainMillis, labels, names));
        context.trace().record("calibration", RouterCalibration.trace(cal, target, names));

        // 6. Route each test query to the model with the highest edge score.
        AtomicIntegerArray routed = new AtomicIntegerArray(K);
        MethodOutput output = context.forEachTest((example, index) -> {
            double[] s = router.scores(qTest[index]);
            int chosen = cal.choose(s[strong], Classifiers.argmax(s, strong), Classifiers.argmax(s, -1));
            routed.incrementAndGet(chosen);
            context.trace().record(index, "route", Map.of("model", names.get(chosen), "edge_score", s[chosen], "strong_score", s[strong]));
            return context.answer(models.get(chosen), example).text();
        });
        int[] counts = new int[K];
        for (int m = 0; m < K; m++) counts[m] = routed.get(m);
        context.trace().record("routed_to", TrainedRouter.countsByName(names, counts));
        return output;
    }

    private Map<String, Object> graphTrace(int n, int K, int nTrain, int nVal, GraphRouterNet.Trained fit, long embeddingMillis,
                                           long trainMillis, double[][] labels, List<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("query_nodes", n);
        m.put("model_nodes", K);
        m.put("edges", n * K);
        m.put("train_queries", nTrain);
        m.put("validation_queries", nVal);
        m.put("scenario", scenario);
        m.put("best_epoch", fit.bestEpoch());
        if (!Double.isNaN(fit.validationUtility())) m.put("validation_utility", fit.validationUtility());
        m.put("train_loss", fit.finalLoss());
        Map<String, Object> mass = new LinkedHashMap<>();
        for (int k = 0; k < K; k++) {
            double s = 0;
            for (int q = 0; q < nTrain; q++) s += labels[q][k];
            mass.put(names.get(k), s);
        }
        m.put("train_label_mass", mass);
        m.put("shuffled_labels", shuffle);
        m.put("embedding_ms", embeddingMillis);
        m.put("training_ms", trainMillis);
        return m;
    }

    private static double[][] embed(MethodContext context, EmbeddingModel model, List<Example> examples) {
        return Embeddings.embed(model, examples.stream().map(context.evaluator()::prompt).toList());
    }

    /** Costs divided by the largest dev cost (1.0 on every edge when prices are unknown, as MoCo does). */
    private static double[][] normalisedCosts(double[][] scores, double[][] costs) {
        double[][] out = new double[scores.length][scores[0].length];
        double max = 0;
        if (costs != null) for (double[] row : costs) for (double c : row) max = Math.max(max, c);
        for (int m = 0; m < out.length; m++) {
            for (int q = 0; q < out[m].length; q++) out[m][q] = costs == null || max == 0 ? 1.0 : costs[m][q] / max;
        }
        return out;
    }

    /** Permutes the queries' outcome columns (scores and costs together). */
    private static void permuteQueries(double[][] scores, double[][] costs, SplittableRandom r) {
        int n = scores[0].length;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            for (double[][] a : costs == null ? new double[][][] {scores} : new double[][][] {scores, costs}) {
                for (double[] row : a) {
                    double t = row[i];
                    row[i] = row[j];
                    row[j] = t;
                }
            }
        }
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "GraphRouter: a GNN over query, task and model nodes, trained on dev scores and costs, routes each test query";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public GraphRouting create(Hyperparameters hyperparameters) { return new GraphRouting(this, hyperparameters); }
    }
}
