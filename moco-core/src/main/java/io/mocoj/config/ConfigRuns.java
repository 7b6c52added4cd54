package io.mocoj.config;

import io.mocoj.MoCo;
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
        String where = config.source() == null ? "config" : config.source().toString();
        MethodFactory factory;
        CollaborationMethod method;
        try {
            factory = MethodRegistry.byName(config.method());
            method = factory.create(config.hyperparameters());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
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
        LOG.debug("{}: gpu_ids (if any) are accepted and ignored: MoCo-J schedules models itself", where);
        long seed = config.settings().seed();
        List<ModelEndpoint> models = new ArrayList<>();
        for (int i = 0; i < config.modelNames().size(); i++) {
            String spec = config.modelNames().get(i);
            try {
                models.add(ModelSpecs.resolve(spec, SpecContext.of(task, seed)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": model_names[" + i + "]: " + e.getMessage(), e);
            }
        }
        RunBuilder b = MoCo.run().models(models).method(method).task(task).settings(config.settings()).baselines(config.baselines());
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
}
