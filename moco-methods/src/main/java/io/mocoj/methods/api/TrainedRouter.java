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
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.methods.toolbox.RouterCalibration;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
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

/**
 * {@code api_trained_router} (RouteLLM-style): every model answers the dev split; each dev query is
 * labelled with the models that scored best on it (tied models share the label equally); a
 * classifier learns the label from the query's sentence embedding (all-MiniLM-L6-v2, plus
 * its cosine similarity to each model description when {@code model_descriptions} are given);
 * each test query is answered by the model the classifier picks.
 *
 * <p>The router is 5-fold cross-fitted on dev: each dev query gets probabilities from the fold
 * classifier that did not see it, and test query {@code i} is scored by fold classifier
 * {@code i mod 5}, so dev and test scores are alike. With {@code calibrate}, a query goes to the
 * strong (most expensive) model when its probability reaches a threshold set on the held-out dev
 * scores, otherwise to the most probable other model; the dev cost–quality curve is always traced.
 *
 * <p>With {@code router_base_model} (a pool model's name or a model spec, with capability TRAIN)
 * the router is MoCo's LLM router instead: that model is fine-tuned (LoRA SFT through the TRAIN
 * API) to answer a routing prompt (the models, numbered, with their descriptions, then the query)
 * with the number of the dev query's label (the best-scoring model; ties go to the better model on
 * dev overall; queries every model scored alike are left out); at test it names the model, and a
 * reply naming none goes to the best dev model (counted). With {@code reward_model_name} ties in a
 * label are broken by that model's 1-10 rating of the tied models' dev answers, as MoCo does.
 */
public final class TrainedRouter extends ConfiguredMethod<TrainedRouter> {
    public static final String NAME = "api_trained_router";
    static final int FOLDS = 5;

    static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("model_descriptions", ParameterSpec.Type.STRING_LIST, null, "a list of strings, one per pool model", null,
                    "optional: one description per pool model; their similarity to the query becomes a feature"),
            ParameterSpec.choice("classifier", "logistic", Classifiers.KINDS, "the router's classifier on query embeddings"),
            ParameterSpec.integer("knn_k", 10, 1, 10_000, "classifier knn: neighbours that vote"),
            ParameterSpec.text("embedding_model", Embeddings.MINILM, "query embeddings (the in-jar all-MiniLM-L6-v2)"),
            ParameterSpec.bool("shuffle_labels", false, "a leakage control: train on randomly permuted dev labels"),
            CalibrationTarget.parameter(),
            ParameterSpec.text("router_base_model", null, "the LLM router to fine-tune (a pool model's name or a model spec; needs TRAIN)"),
            ParameterSpec.integer("router_sft_epochs", 3, 1, 1000, "MoCo-J: LLM-router SFT epochs"),
            ParameterSpec.integer("router_sft_max_steps", 0, 0, Integer.MAX_VALUE, "MoCo-J: cap on LLM-router SFT steps (0: the epochs)"),
            ParameterSpec.real("router_sft_learning_rate", 1e-4, 0, 1, "MoCo-J: LLM-router SFT learning rate"),
            ParameterSpec.integer("router_lora_rank", 16, 0, 4096, "MoCo-J: LLM-router LoRA rank (0: full fine-tuning)"),
            ParameterSpec.text("reward_model_name", null, "LLM router: the model (pool name or spec) whose 1-10 rating of the tied models' dev answers"
                    + " breaks ties in a dev query's label (and then every dev query is a row, as MoCo)"),
            new ParameterSpec("reward_model_gpu_id", ParameterSpec.Type.INT, null, "a whole number", null, "accepted and ignored"));

    private final List<String> descriptions;
    private final String classifier;
    private final int k;
    private final boolean shuffle;
    private final CalibrationTarget target;
    private final EmbeddingModel embeddings;
    private final Hyperparameters h;

    TrainedRouter(MethodFactory factory, Hyperparameters h) { this(factory, h, null); }

    private TrainedRouter(MethodFactory factory, Hyperparameters h, EmbeddingModel embeddings) {
        super(factory, h);
        List<String> d = h.getList("model_descriptions");
        this.descriptions = d == null ? null : List.copyOf(d);
        this.classifier = h.getString("classifier");
        this.k = h.getInt("knn_k");
        this.shuffle = h.getBoolean("shuffle_labels");
        this.target = CalibrationTarget.from(h.getMap(CalibrationTarget.KEY));
        this.embeddings = embeddings;
        this.h = h;
        if (embeddings == null) Embeddings.requireInJar(NAME, "embedding_model", h.getString("embedding_model"));
    }

    @Override
    public TrainedRouter with(String key, Object value) {
        TrainedRouter copy = super.with(key, value);
        return embeddings == null ? copy : new TrainedRouter(factory(), copy.hyperparameters(), embeddings);
    }

    /** A copy embedding queries with this model instead of all-MiniLM-L6-v2. */
    public TrainedRouter embeddingModel(EmbeddingModel model) {
        return new TrainedRouter(factory(), hyperparameters(), Objects.requireNonNull(model, "model"));
    }

    /** A copy with this classifier ({@code logistic}, {@code knn}, {@code mlp}). */
    public TrainedRouter classifier(String kind) { return with("classifier", kind); }

    /** A copy calibrated on dev to this target. */
    public TrainedRouter calibrate(CalibrationTarget target) { return with(CalibrationTarget.KEY, target.asConfig()); }

    /** A copy with these model descriptions. */
    public TrainedRouter modelDescriptions(List<String> d) { return with("model_descriptions", d); }

    /** A copy trained on shuffled labels (a leakage control). */
    public TrainedRouter shuffleLabels(boolean shuffle) { return with("shuffle_labels", shuffle); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (models.size() < 2) throw new IllegalArgumentException("method " + NAME + " routes between models: the pool needs at least 2, it has " + models.size());
        if (descriptions != null && descriptions.size() != models.size()) {
            throw new IllegalArgumentException("hyperparameter 'model_descriptions' of method " + NAME + " has " + descriptions.size()
                    + " entries but the pool has " + models.size() + " models: give one per model, in pool order, or leave it out");
        }
        if (h.getString("router_base_model") != null) {
            Training.trainable(NAME, "router_base_model", h.getString("router_base_model"), models, 0);
            if (target != null) throw new IllegalArgumentException("method " + NAME + ": calibrate applies to the classifier router, not to router_base_model");
            if (h.getString("reward_model_name") != null) Training.find(NAME, "reward_model_name", h.getString("reward_model_name"), models);
        } else if (h.getString("reward_model_name") != null) {
            throw new IllegalArgumentException("hyperparameter 'reward_model_name' of method " + NAME + " breaks the LLM router's label ties;"
                    + " the classifier router shares tied labels instead: give router_base_model too, or remove reward_model_name");
        }
        RouterCalibration.checkPrices(NAME, target, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        DevEvaluation dev = context.devEvaluation();
        if (dev.examples().isEmpty()) {
            throw new IllegalArgumentException("method " + NAME + " trains its router on the dev split, but task '" + context.task().name()
                    + "' has no dev examples");
        }
        if (h.getString("router_base_model") != null) return llmRouter(context, dev);
        int K = models.size();
        double[][] scores = RouterCalibration.devScores(dev), costs = RouterCalibration.devCosts(models, dev);
        double[][] labels = Classifiers.bestShares(scores);
        if (shuffle) shuffle(labels, new SplittableRandom(context.settings().seed() ^ 0x5EED));

        EmbeddingModel model = embeddings != null ? embeddings : Embeddings.miniLm();
        long started = System.nanoTime();
        double[][] xDev = features(context, model, dev.examples()), xTest = features(context, model, context.task().test());
        long embeddingMillis = (System.nanoTime() - started) / 1_000_000;
        long seed = context.settings().seed();
        Classifiers.CrossFit router = Classifiers.crossFit(classifier, xDev, labels, K, k, seed, FOLDS);
        double[][] heldOut = router.heldOut();

        int strong = RouterCalibration.strongModel(K, costs);
        double[] devStrong = new double[heldOut.length];
        int[] devOther = new int[heldOut.length];
        double agree = 0;
        double[] labelMass = new double[K];
        for (int q = 0; q < heldOut.length; q++) {
            devStrong[q] = heldOut[q][strong];
            devOther[q] = Classifiers.argmax(heldOut[q], strong);
            agree += labels[q][Classifiers.argmax(heldOut[q], -1)];
            for (int m = 0; m < K; m++) labelMass[m] += labels[q][m];
        }
        RouterCalibration.Result cal = RouterCalibration.calibrate(target, strong, devStrong, devOther, scores, costs);
        Map<String, Object> mass = new LinkedHashMap<>();
        for (int m = 0; m < K; m++) mass.put(names.get(m), labelMass[m]);
        context.trace().record("router", Map.of("classifier", classifier, "dev_examples", labels.length,
                "label_mass", mass, "held_out_label_agreement", agree / labels.length, "shuffled_labels", shuffle,
                "embedding_ms", embeddingMillis));
        context.trace().record("calibration", RouterCalibration.trace(cal, target, names));

        AtomicIntegerArray routed = new AtomicIntegerArray(K);
        MethodOutput output = context.forEachTest((example, index) -> {
            double[] p = router.probabilities(index, xTest[index]);
            int chosen = cal.choose(p[strong], Classifiers.argmax(p, strong), Classifiers.argmax(p, -1));
            routed.incrementAndGet(chosen);
            context.trace().record(index, "route", Map.of("model", names.get(chosen), "probability", p[chosen], "strong_score", p[strong]));
            return context.answer(models.get(chosen), example).text();
        });
        int[] counts = new int[K];
        for (int m = 0; m < K; m++) counts[m] = routed.get(m);
        context.trace().record("routed_to", countsByName(names, counts));
        return output;
    }

    /** MoCo's LLM router: SFT on (routing prompt → number of the dev label), then the router names each test query's model. */
    private MethodOutput llmRouter(MethodContext context, DevEvaluation dev) {
        List<ModelEndpoint> models = context.models();
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        ModelEndpoint base = Training.trainable(NAME, "router_base_model", h.getString("router_base_model"), models, 0);
        List<Integer> overall = dev.ranking();
        List<TrainingExample> rows = new ArrayList<>();
        int[] labels = new int[models.size()];
        String rewardName = h.getString("reward_model_name");
        ModelEndpoint reward = rewardName == null ? null : Training.find(NAME, "reward_model_name", rewardName, models);
        java.util.concurrent.atomic.AtomicInteger rated = new java.util.concurrent.atomic.AtomicInteger(), unrated = new java.util.concurrent.atomic.AtomicInteger();
        for (int q = 0; q < dev.examples().size(); q++) {
            double best = Double.NEGATIVE_INFINITY, worst = Double.POSITIVE_INFINITY;
            for (int m = 0; m < models.size(); m++) { best = Math.max(best, dev.score(m, q).value()); worst = Math.min(worst, dev.score(m, q).value()); }
            if (best == worst && reward == null) continue;
            int label = -1;
            double top = Double.NEGATIVE_INFINITY;
            List<Integer> tied = new ArrayList<>();
            for (int m : overall) if (dev.score(m, q).value() == best) tied.add(m);
            if (reward == null || tied.size() == 1) {
                label = tied.get(0);
            } else { // MoCo: the reward model's score breaks the tie; equal or unreadable ratings keep the dev order
                String query = context.evaluator().prompt(dev.examples().get(q));
                for (int m : tied) {
                    var g = dev.generation(m, q);
                    Integer r = g == null ? null : PeerJudge.score(context, reward, query, g.text(), 16);
                    (r == null ? unrated : rated).incrementAndGet();
                    double v = r == null ? Double.NEGATIVE_INFINITY : r;
                    if (label < 0 || v > top) { label = m; top = v; }
                }
            }
            labels[label]++;
            rows.add(new TrainingExample.Completion(routingPrompt(context.evaluator().prompt(dev.examples().get(q)), names), String.valueOf(label + 1)));
        }
        context.trace().record("llm_router_data", Map.of("dev_examples", dev.examples().size(), "rows", rows.size(), "labels", countsByName(names, labels),
                "reward_model", reward == null ? "none" : reward.name(), "reward_ratings", rated.get(), "unreadable_ratings", unrated.get()));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("method " + NAME + " (router_base_model): every model scored alike on every dev query, so there is"
                    + " nothing to train the router on; use more dev examples or the classifier router");
        }
        ModelEndpoint router = context.fineTune(base, "router", FineTuneRequest.builder(TrainingObjective.SFT, rows)
                .epochs(h.getInt("router_sft_epochs")).steps(h.getInt("router_sft_max_steps")).learningRate(h.getDouble("router_sft_learning_rate"))
                .loraRank(h.getInt("router_lora_rank")).seed(context.settings().seed()).suffix("router").build()).model();
        AtomicIntegerArray routed = new AtomicIntegerArray(models.size());
        java.util.concurrent.atomic.AtomicInteger fallbacks = new java.util.concurrent.atomic.AtomicInteger();
        MethodOutput output = context.forEachTest((example, index) -> {
            String reply = context.generate(router, context.settings().request(routingPrompt(context.evaluator().prompt(example), names))
                    .temperature(0).maxTokens(8).build()).text();
            int chosen = Prompts.parseModelChoice(reply, names);
            boolean fallback = chosen < 0;
            if (fallback) { chosen = dev.best(); fallbacks.incrementAndGet(); }
            routed.incrementAndGet(chosen);
            context.trace().record(index, "route", Map.of("model", names.get(chosen), "reply", reply, "fallback", fallback));
            return context.answer(models.get(chosen), example).text();
        });
        int[] counts = new int[models.size()];
        for (int m = 0; m < counts.length; m++) counts[m] = routed.get(m);
        context.trace().record("routed_to", countsByName(names, counts));
        context.trace().record("llm_router_fallbacks", Map.of("count", fallbacks.get()));
        return output;
    }

    /** The numbered models (with their descriptions when given) and the query; the reply is a model's number. */
    String routingPrompt(String query, List<String> names) {
        StringBuilder b = new StringBuilder("Pick the model that will answer this query best.\n\nModels:");
        for (int i = 0; i < names.size(); i++) {
            b.append("\n").append(i + 1).append(". ").append(names.get(i));
            if (descriptions != null) b.append(": ").append(descriptions.get(i));
        }
        return b.append("\n\nQuery:\n").append(query).append("\n\nReply with the model's number only.").toString();
    }

    /** Query embeddings, followed by the similarity to each model description when descriptions are given. */
    private double[][] features(MethodContext context, EmbeddingModel model, List<Example> examples) {
        List<String> prompts = examples.stream().map(context.evaluator()::prompt).toList();
        double[][] q = Embeddings.embed(model, prompts);
        if (descriptions == null) return q;
        double[][] d = Embeddings.embed(model, descriptions);
        double[][] out = new double[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = java.util.Arrays.copyOf(q[i], q[i].length + d.length);
            for (int m = 0; m < d.length; m++) out[i][q[i].length + m] = Embeddings.dot(q[i], d[m]);
        }
        return out;
    }

    private static void shuffle(double[][] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double[] t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static Map<String, Object> countsByName(List<String> names, int[] counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), counts[i]);
        return m;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "a classifier on query embeddings, trained on which model solved each dev query, routes each test query";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public TrainedRouter create(Hyperparameters hyperparameters) { return new TrainedRouter(this, hyperparameters); }
    }
}
