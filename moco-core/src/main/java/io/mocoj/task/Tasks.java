package io.mocoj.task;

import java.util.ArrayList;
import java.util.List;

/** Finds evaluators and tasks through the providers on the class path. */
public final class Tasks {
    private Tasks() {}

    /** The evaluator for a task, or a clear error when no module on the class path provides one. */
    public static Evaluator evaluatorFor(Task task) { return evaluatorFor(task, null); }

    /**
     * The evaluator for a task, scoring with the given judge / embedding model where its type needs
     * one; a provider may refuse (IllegalArgumentException) a judge-scored task without a judge.
     * With null options, providers answer as {@link EvaluatorProvider#evaluatorFor(Task)}.
     */
    public static Evaluator evaluatorFor(Task task, EvaluatorOptions options) {
        for (EvaluatorProvider p : io.mocoj.plugin.Plugins.load(EvaluatorProvider.class)) {
            var e = options == null ? p.evaluatorFor(task) : p.evaluatorFor(task, options);
            if (e.isPresent()) return e.get();
        }
        throw new IllegalStateException("no evaluator for task type '" + task.type().configName()
                + "' of task '" + task.name() + "': add the io.mocoj:moco-eval module to the class path, or pass .evaluator(...)");
    }

    /** Loads a task by name from any {@link TaskSource}, or fails listing the known names. */
    public static Task load(String name) {
        List<String> known = new ArrayList<>();
        for (TaskSource s : io.mocoj.plugin.Plugins.load(TaskSource.class)) {
            var t = s.load(name);
            if (t.isPresent()) return t.get();
            known.addAll(s.names());
        }
        throw new IllegalArgumentException("unknown task '" + name + "'"
                + (known.isEmpty() ? ": add the io.mocoj:moco-datasets module to the class path" : "; known tasks: " + String.join(", ", known)));
    }
}
