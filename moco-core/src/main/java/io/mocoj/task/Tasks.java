package io.mocoj.task;

import java.util.ArrayList;
import java.util.List;

/** Finds evaluators and tasks through the providers on the class path. */
public final class Tasks {
    private Tasks() {}

    /** The evaluator for a task, or a clear error when no module on the class path provides one. */
    public static Evaluator evaluatorFor(Task task) {
        for (EvaluatorProvider p : io.mocoj.plugin.Plugins.load(EvaluatorProvider.class)) {
            var e = p.evaluatorFor(task);
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
