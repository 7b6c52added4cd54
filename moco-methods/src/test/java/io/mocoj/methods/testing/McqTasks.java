package io.mocoj.methods.testing;

import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Generated 4-option multiple-choice tasks whose inputs carry an {@code [id:…]} tag for {@link OracleModel}. */
public final class McqTasks {
    private McqTasks() {}

    /** A task with {@code dev} and {@code test} examples, gold letters uniform, domains assigned round-robin. */
    public static Task generate(String name, int dev, int test, List<String> domains, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return new Task(name, TaskType.MULTIPLE_CHOICE, examples("dev", dev, domains, rnd), examples("test", test, domains, rnd));
    }

    private static List<Example> examples(String split, int n, List<String> domains, SplittableRandom rnd) {
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = split + "-" + i;
            String domain = domains.get(i % domains.size());
            Map<String, String> choices = new LinkedHashMap<>();
            for (String l : List.of("A", "B", "C", "D")) choices.put(l, "option " + l.toLowerCase() + " of " + id);
            String gold = List.of("A", "B", "C", "D").get(rnd.nextInt(4));
            out.add(new Example(id, "[id:" + id + "] A question about " + domain + ".", choices, List.of(gold),
                    Map.of("domain", domain)));
        }
        return out;
    }

    /** Every example of both splits. */
    public static List<Example> all(Task task) {
        List<Example> all = new ArrayList<>(task.dev());
        all.addAll(task.test());
        return all;
    }
}
