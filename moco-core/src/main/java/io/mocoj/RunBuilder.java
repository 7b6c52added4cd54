package io.mocoj;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.mocoj.internal.engine.EngineBoundEndpoint;
import io.mocoj.internal.engine.EngineSettings;
import io.mocoj.internal.engine.HealthSettings;
import io.mocoj.internal.engine.Runner;
import io.mocoj.internal.engine.Statistics;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.model.Capability;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.WeightsModel;
import io.mocoj.task.Evaluator;
import io.mocoj.task.EvaluatorOptions;
import io.mocoj.task.TaskType;
import io.mocoj.task.Task;
import io.mocoj.task.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Optional;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Describes a run: the pool, the method, the task and how to execute. Every combination is
 * checked by {@link #build()} (or {@link #execute()}), which fails with a message saying what to
 * change before any model is called.
 */
public final class RunBuilder {
    private final List<ModelEndpoint> models = new ArrayList<>();
    private CollaborationMethod method;
    private Task task;
    private final List<Task> tasks = new ArrayList<>();
    private int numFewShot;
    private Evaluator evaluator;
    private int limit = -1;
    private int concurrency = 64;
    private int perModelConcurrency = -1;
    private final Map<String, Integer> perModelLimits = new LinkedHashMap<>();
    private final Map<String, Double> requestsPerMinute = new LinkedHashMap<>();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Path cacheDir;
    private Path logDir;
    private GenerationSettings settings = GenerationSettings.DEFAULTS;
    private Long seed;
    private boolean baselines = true;
    private boolean failFast;
    private final List<ProgressListener> listeners = new ArrayList<>();
    private int bootstrapResamples = Statistics.DEFAULT_RESAMPLES;
    private final List<String> warnings = new ArrayList<>();
    private ModelFailurePolicy onModelFailure = HealthSettings.DEFAULTS.policy();
    private int healthFirstCalls = HealthSettings.DEFAULTS.firstCalls();
    private double healthMaxShare = HealthSettings.DEFAULTS.maxFailureShare();
    private boolean preflight = HealthSettings.DEFAULTS.preflight();
    private int breakerThreshold = HealthSettings.DEFAULTS.breakerThreshold();
    private Duration breakerCooldown = HealthSettings.DEFAULTS.breakerCooldown();
    private ModelEndpoint judge;
    private final Map<TaskType, ModelEndpoint> judgesByType = new EnumMap<>(TaskType.class);
    private EmbeddingModel embeddingModel;
    private String embeddingModelName;
    private Map<String, Object> rawConfig;
    private String datasetSource;
    private String datasetSha256;

    RunBuilder() {}

    /** The model pool, in order (order matters to some methods: cascades go weak to strong). */
    public RunBuilder models(ModelEndpoint... pool) { return models(List.of(pool)); }

    public RunBuilder models(List<? extends ModelEndpoint> pool) {
        models.clear();
        models.addAll(pool);
        return this;
    }

    public RunBuilder method(CollaborationMethod m) { this.method = m; return this; }

    public RunBuilder task(Task t) {
        this.task = t;
        tasks.clear();
        return this;
    }

    /** Several tasks in one suite run ({@link #buildSuite()}): the same pool and method on each, one report row per task. */
    public RunBuilder tasks(Task... ts) { return tasks(List.of(ts)); }

    /** Several tasks in one suite run ({@link #buildSuite()}). */
    public RunBuilder tasks(List<Task> ts) {
        if (ts.isEmpty()) throw new IllegalArgumentException("tasks: give at least one task");
        tasks.clear();
        tasks.addAll(ts);
        this.task = null;
        return this;
    }

    /**
     * Few-shot prompting: each prompt is preceded by {@code n} solved dev examples drawn with the run seed
     * (see {@link io.mocoj.task.FewShotEvaluator}); 0 (the default) is zero-shot, as in MoCo.
     */
    public RunBuilder fewShot(int n) {
        if (n < 0) throw new IllegalArgumentException("num_fewshot must be >= 0, was " + n);
        this.numFewShot = n;
        return this;
    }

    /** Overrides the evaluator found for the task's type (moco-eval's by default). */
    public RunBuilder evaluator(Evaluator e) { this.evaluator = e; return this; }

    /** Uses at most {@code n} examples of each split (the first ones). */
    public RunBuilder limit(int n) {
        if (n < 0) throw new IllegalArgumentException("limit must be >= 0, was " + n);
        this.limit = n;
        return this;
    }

    /** At most {@code n} model calls in flight at once, over all models (default 64). */
    public RunBuilder concurrency(int n) {
        if (n <= 0) throw new IllegalArgumentException("concurrency must be positive, was " + n);
        this.concurrency = n;
        return this;
    }

    /** At most {@code n} calls in flight per model (default: the overall limit). */
    public RunBuilder perModelConcurrency(int n) {
        if (n <= 0) throw new IllegalArgumentException("per-model concurrency must be positive, was " + n);
        this.perModelConcurrency = n;
        return this;
    }

    /** At most {@code n} calls in flight for the named model. */
    public RunBuilder concurrency(String modelName, int n) {
        if (n <= 0) throw new IllegalArgumentException("concurrency of " + modelName + " must be positive, was " + n);
        perModelLimits.put(modelName, n);
        return this;
    }

    /** Spaces calls to the named model to at most {@code perMinute} requests a minute. */
    public RunBuilder requestsPerMinute(String modelName, double perMinute) {
        if (!(perMinute > 0)) throw new IllegalArgumentException("requests per minute of " + modelName + " must be positive, was " + perMinute);
        requestsPerMinute.put(modelName, perMinute);
        return this;
    }

    public RunBuilder retry(RetryPolicy policy) { this.retry = Objects.requireNonNull(policy); return this; }

    /** Keeps every response on disk so that a re-run or a resumed run makes no call for finished work. */
    public RunBuilder cacheDir(Path dir) { this.cacheDir = dir; return this; }

    /** Writes the run log (and a progress journal while running) into this directory. */
    public RunBuilder logDir(Path dir) { this.logDir = dir; return this; }

    /** Shared generation settings (max_response_length, temperature, top_p, batch_size). */
    public RunBuilder settings(GenerationSettings s) { this.settings = Objects.requireNonNull(s); return this; }

    /** The run seed (default 42): sampling seeds, tie-breaking, bootstrap. */
    public RunBuilder seed(long s) { this.seed = s; return this; }

    /** Also runs every model alone on the test split (the baseline rows of the report); on by default, as in the CLI. */
    public RunBuilder baselines(boolean b) { this.baselines = b; return this; }

    /** Stops the run at the first failed example instead of recording it as failed. */
    public RunBuilder failFast(boolean b) { this.failFast = b; return this; }

    public RunBuilder listener(ProgressListener l) { listeners.add(Objects.requireNonNull(l)); return this; }

    /** Bootstrap resamples for confidence intervals (default 2000). */
    public RunBuilder bootstrapResamples(int n) {
        if (n < 100) throw new IllegalArgumentException("bootstrap resamples must be >= 100, was " + n);
        this.bootstrapResamples = n;
        return this;
    }

    /** Adds a warning to the report (used by the config loader for ignored keys). */
    public RunBuilder warning(String w) { warnings.add(w); return this; }

    /**
     * What the run does when a model fails too often (see {@link #modelHealth}): {@link ModelFailurePolicy#STOP}
     * (the default) ends it with a {@link ModelFailureException}; {@link ModelFailurePolicy#CONTINUE} finishes
     * and marks the report DEGRADED.
     */
    public RunBuilder onModelFailure(ModelFailurePolicy policy) { this.onModelFailure = Objects.requireNonNull(policy); return this; }

    /**
     * When a model counts as unhealthy: its first {@code firstCalls} calls all failed (default 5), or more
     * than {@code maxFailureShare} of its calls failed (default 0.10).
     */
    public RunBuilder modelHealth(int firstCalls, double maxFailureShare) {
        new HealthSettings(firstCalls, maxFailureShare, 20, ModelFailurePolicy.STOP, true, 1, Duration.ZERO);
        this.healthFirstCalls = firstCalls;
        this.healthMaxShare = maxFailureShare;
        return this;
    }

    /** Whether to send one small request to every remote endpoint before the method starts (default true). */
    public RunBuilder preflight(boolean b) { this.preflight = b; return this; }

    /**
     * After {@code consecutiveFailures} transport failures in a row (refused connection, time-out, HTTP 5xx)
     * an endpoint gets no request for {@code cooldown}, then one probe (defaults 5 and 30 s).
     */
    public RunBuilder circuitBreaker(int consecutiveFailures, Duration cooldown) {
        if (consecutiveFailures < 1) throw new IllegalArgumentException("circuit breaker threshold must be >= 1, was " + consecutiveFailures);
        if (cooldown.isNegative()) throw new IllegalArgumentException("circuit breaker cooldown must be >= 0");
        this.breakerThreshold = consecutiveFailures;
        this.breakerCooldown = cooldown;
        return this;
    }

    /**
     * The judge model of tasks scored by a judge (reward_model, text_generation, general_verifier),
     * unless {@link #judgeModel(TaskType, ModelEndpoint)} names one for the task's type. Its calls go
     * through the run's engine (cache, retries, health, usage).
     */
    public RunBuilder judgeModel(ModelEndpoint judge) { this.judge = Objects.requireNonNull(judge); return this; }

    /** The judge model for tasks of one type. */
    public RunBuilder judgeModel(TaskType type, ModelEndpoint judge) {
        judgesByType.put(Objects.requireNonNull(type), Objects.requireNonNull(judge));
        return this;
    }

    /** The embedding model of generation_diversity scoring (default: the in-process all-MiniLM-L6-v2). */
    public RunBuilder embeddingModel(EmbeddingModel model, String name) {
        this.embeddingModel = Objects.requireNonNull(model);
        this.embeddingModelName = Objects.requireNonNull(name);
        return this;
    }

    /** The config this run came from, as read (for the run log; secrets are removed when it is written). */
    public RunBuilder rawConfig(Map<String, Object> config) { this.rawConfig = config; return this; }

    /** Where the task's data came from (a file or a dataset name) and the file's SHA-256 when known, for the run log. */
    public RunBuilder datasetSource(String source, String sha256) {
        this.datasetSource = source;
        this.datasetSha256 = sha256;
        return this;
    }

    /** Validates everything and returns a run ready to execute. */
    /** Creates a directory the run will write into, or says in words why it cannot be (before any model call). */
    private static void createDirectory(java.nio.file.Path dir, String what) {
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) throw new java.nio.file.AccessDeniedException(dir.toString());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the " + what + " " + dir + ": "
                    + io.mocoj.internal.engine.Problems.describe(e) + "; give a folder you can write to");
        }
    }

    public Run build() {
        if (tasks.size() > 1) {
            throw new IllegalArgumentException(tasks.size() + " tasks were given: use buildSuite() / executeSuite() for a run over several tasks");
        }
        return build(tasks.size() == 1 ? tasks.get(0) : task);
    }

    /** Validates every task's run (all before any model call) and returns the suite. */
    public Suite buildSuite() {
        List<Task> all = tasks.isEmpty() ? (task == null ? List.of() : List.of(task)) : tasks;
        if (all.isEmpty()) throw new IllegalArgumentException("no task: call .tasks(...) with at least one task");
        Set<String> seen = new HashSet<>();
        for (Task t : all) {
            if (!seen.add(t.name())) throw new IllegalArgumentException("task '" + t.name() + "' is given twice");
        }
        List<Run> runs = new ArrayList<>();
        for (Task t : all) runs.add(build(t));
        return new Suite(List.copyOf(all), runs);
    }

    /** {@code buildSuite().execute()}. */
    public Suite.SuiteReport executeSuite() { return buildSuite().execute(); }

    private Run build(Task task) {
        if (models.isEmpty()) throw new IllegalArgumentException("no models: call .models(...) with at least one model");
        if (method == null) throw new IllegalArgumentException("no method: call .method(...), e.g. Methods.majorityVote()");
        if (task == null) throw new IllegalArgumentException("no task: call .task(...), e.g. Datasets.load(\"agieval_tiny\")");
        Set<String> names = new HashSet<>();
        for (ModelEndpoint m : models) {
            if (!names.add(m.name())) throw new IllegalArgumentException("two models are named '" + m.name() + "': model names must be unique in a pool");
        }
        for (Capability c : method.requiredCapabilities()) {
            for (ModelEndpoint m : models) {
                boolean ok = m.has(c)
                        && (c != Capability.LOGITS || m instanceof LogitsModel)
                        && (c != Capability.WEIGHTS || m instanceof WeightsModel);
                if (!ok) {
                    throw new IllegalArgumentException("method " + method.name() + " needs " + c + " but model '" + m.name()
                            + "' offers only " + m.capabilities() + "; use models that support " + c
                            + (c == Capability.LOGPROBS ? " (OpenAI-compatible servers with logprobs, gguf: models, simulated models)" : "")
                            + (c == Capability.LOGITS || c == Capability.WEIGHTS ? " (local gguf: models)" : ""));
                }
            }
        }
        if (!method.supportedTaskTypes().contains(task.type())) {
            throw new IllegalArgumentException("method " + method.name() + " does not support task type " + task.type().configName()
                    + " (task " + task.name() + "); it supports: "
                    + method.supportedTaskTypes().stream().map(t -> t.configName()).collect(Collectors.joining(", ")));
        }
        method.checkPool(List.copyOf(models));
        ModelEndpoint judgeFor = judgesByType.getOrDefault(task.type(), judge);
        EngineBoundEndpoint boundJudge = judgeFor == null ? null : new EngineBoundEndpoint(judgeFor);
        if (boundJudge != null && names.contains(judgeFor.name()) && !models.contains(judgeFor)) {
            throw new IllegalArgumentException("the judge model is named '" + judgeFor.name() + "' like a model of the pool;"
                    + " give it another name (e.g. the spec option name=judge)");
        }
        Evaluator ev = evaluator != null ? evaluator
                : Tasks.evaluatorFor(task, new EvaluatorOptions(Optional.ofNullable(boundJudge), Optional.ofNullable(embeddingModel),
                        Optional.ofNullable(embeddingModelName)));
        if (ev.taskType() != task.type()) {
            throw new IllegalArgumentException("the evaluator is for " + ev.taskType().configName() + " but task " + task.name()
                    + " is " + task.type().configName());
        }
        if (logDir != null && Files.exists(logDir) && !Files.isDirectory(logDir)) {
            throw new IllegalArgumentException("log directory " + logDir + " exists and is not a directory");
        }
        if (cacheDir != null && Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
            throw new IllegalArgumentException("cache directory " + cacheDir + " exists and is not a directory");
        }
        for (String m : requestsPerMinute.keySet()) {
            if (!names.contains(m)) throw new IllegalArgumentException("requestsPerMinute names model '" + m + "', which is not in the pool " + names);
        }
        for (String m : perModelLimits.keySet()) {
            if (!names.contains(m)) throw new IllegalArgumentException("concurrency names model '" + m + "', which is not in the pool " + names);
        }
        Task t = limit >= 0 ? task.limit(limit) : task;
        if (t.test().isEmpty()) {
            throw new IllegalArgumentException("task " + io.mocoj.config.Quoted.of(task.name()) + " has no test examples"
                    + (task.test().isEmpty() ? " (its test split is empty)" : " with limit " + limit)
                    + "; there is nothing to run or score. Give data with a test split (see docs/datasets.md)");
        }
        createDirectory(logDir, "log directory");
        createDirectory(cacheDir, "cache directory");
        GenerationSettings s = seed == null ? settings : settings.withSeed(seed);
        if (numFewShot > 0) {
            // demonstrations come from the whole dev split (a limit applies to the evaluated examples only)
            try {
                ev = io.mocoj.task.FewShotEvaluator.of(ev, task.dev(), numFewShot, s.seed());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("task " + task.name() + ": " + e.getMessage(), e);
            }
        }
        HealthSettings health = new HealthSettings(healthFirstCalls, healthMaxShare, HealthSettings.DEFAULTS.minCallsForShare(),
                onModelFailure, preflight, breakerThreshold, breakerCooldown);
        EngineSettings engine = new EngineSettings(concurrency, perModelLimits,
                perModelConcurrency > 0 ? perModelConcurrency : concurrency, requestsPerMinute, retry, cacheDir, health);
        List<String> allWarnings = new ArrayList<>(warnings);
        allWarnings.addAll(method.hyperparameters().warnings());
        List<ProgressListener> ls = List.copyOf(listeners);
        ProgressListener listener = ls.isEmpty() ? ProgressListener.NONE : e -> ls.forEach(l -> l.onEvent(e));
        return new Run(new Runner.Plan(List.copyOf(models), method, t, ev, s, engine, concurrency, failFast, baselines,
                logDir, listener, bootstrapResamples, allWarnings, boundJudge == null || evaluator != null ? List.of() : List.of(boundJudge),
                new Runner.Provenance(rawConfig, datasetSource, datasetSha256)));
    }

    /** {@code build().execute()}. */
    public RunReport execute() { return build().execute(); }
}
