package io.mocoj.config;

import io.mocoj.MoCo;
import io.mocoj.ModelFailurePolicy;
import io.mocoj.spec.EmbeddingSpecResolver;
import io.mocoj.RunBuilder;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodRegistry;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link MocoConfig} into a {@link RunBuilder}: finds the method by name and validates its
 * hyperparameters, loads the task, resolves every model spec. Everything is checked before any
 * model is called; problems are reported as {@link ConfigException}s naming the file and key.
 */
public final class ConfigRuns {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigRuns.class);

    private ConfigRuns() {}

    /**
     * @param taskLoader loads the config's task (a dataset name or a data file, see {@link MocoConfig#taskIsFile()})
     */
    public static RunBuilder toBuilder(MocoConfig config, Function<MocoConfig, Task> taskLoader) {
        if (config.isSuite()) {
            throw new ConfigException((config.source() == null ? "config" : config.source().toString()) + ": \"task\" lists "
                    + config.tasks().size() + " tasks; use ConfigRuns.toBuilders(...) for one run per task");
        }
        String where = where(config);
        CollaborationMethod method = method(config);
        Task task = task(config, taskLoader);
        LOG.debug("{}: gpu_ids (if any) are accepted and ignored: MoCo-J schedules models itself", where);
        long seed = config.settings().seed();
        List<ModelEndpoint> models = models(config, task);
        RunBuilder b = MoCo.run().models(models).method(method).task(task).settings(config.settings()).baselines(config.baselines());
        for (var e : config.judgeModels().entrySet()) {
            String key = e.getKey().equals("default") ? "judge_model" : "judge_model." + e.getKey();
            ModelEndpoint judge;
            int same = config.modelNames().indexOf(e.getValue());
            try {
                judge = same >= 0 ? models.get(same) : ModelSpecs.resolve(e.getValue(), SpecContext.of(task, seed));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where + ": " + key + ": " + ex.getMessage(), ex);
            }
            if (e.getKey().equals("default")) {
                b.judgeModel(judge);
            } else {
                try {
                    b.judgeModel(TaskType.fromConfigName(e.getKey()), judge);
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(where + ": " + key + ": " + ex.getMessage() + " (or use the key \"default\")", ex);
                }
            }
        }
        if (config.embeddingModel().isPresent()) {
            try {
                b.embeddingModel(EmbeddingSpecResolver.resolveAny(config.embeddingModel().get()), config.embeddingModel().get());
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where + ": embedding_model: " + ex.getMessage(), ex);
            }
        }
        config.onModelFailure().ifPresent(p -> b.onModelFailure(p.equals("continue") ? ModelFailurePolicy.CONTINUE : ModelFailurePolicy.STOP));
        config.preflight().ifPresent(b::preflight);
        b.rawConfig(config.raw());
        config.limit().ifPresent(b::limit);
        config.numFewshot().ifPresent(b::fewShot);
        config.concurrency().ifPresent(b::concurrency);
        config.warnings().forEach(b::warning);
        return b;
    }

    /**
     * One builder per task of the config (one for a single task): each task is loaded, checked against
     * {@code task_type} and gets models resolved for it, all before any model is called.
     */
    public static List<RunBuilder> toBuilders(MocoConfig config, Function<MocoConfig, Task> taskLoader) {
        List<RunBuilder> out = new ArrayList<>();
        for (String name : config.tasks()) out.add(toBuilder(config.forTask(name), taskLoader));
        return out;
    }

    private static String where(MocoConfig config) { return config.source() == null ? "config" : config.source().toString(); }

    /** The config's method, made with its hyperparameters; a bad name or hyperparameter is a {@link ConfigException}. */
    public static CollaborationMethod method(MocoConfig config) {
        try {
            return MethodRegistry.byName(config.method()).create(config.hyperparameters());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(config) + ": " + e.getMessage(), e);
        }
    }

    /** The config's (single) task, loaded and checked against {@code task_type}. */
    public static Task task(MocoConfig config, Function<MocoConfig, Task> taskLoader) {
        String where = where(config);
        Task task;
        try {
            task = taskLoader.apply(config);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new ConfigException(where + ": task \"" + config.task() + "\": " + e.getMessage(), e);
        }
        if (config.taskType().isPresent()) {
            TaskType declared;
            try {
                declared = TaskType.fromConfigName(config.taskType().get());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": task_type: " + e.getMessage(), e);
            }
            if (declared != task.type()) {
                throw new ConfigException(where + ": task_type is \"" + declared.configName() + "\" but task " + task.name()
                        + " is " + task.type().configName() + "; set \"task_type\": \"" + task.type().configName() + "\" or remove it");
            }
        }
        return task;
    }

    /** The pool of {@code model_names}, resolved for the task; a bad spec is a {@link ConfigException} naming its index. */
    public static List<ModelEndpoint> models(MocoConfig config, Task task) {
        List<ModelEndpoint> models = new ArrayList<>();
        for (int i = 0; i < config.modelNames().size(); i++) {
            try {
                models.add(ModelSpecs.resolve(config.modelNames().get(i), SpecContext.of(task, config.settings().seed())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where(config) + ": model_names[" + i + "]: " + e.getMessage(), e);
            }
        }
        return models;
    }
}
