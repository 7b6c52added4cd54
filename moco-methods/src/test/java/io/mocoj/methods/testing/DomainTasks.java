package io.mocoj.methods.testing;

import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Multiple-choice tasks for router tests whose dev and test questions look alike (no split name
 * in the text, unlike {@link McqTasks}): "Question 48213 is about law." with fixed options; the
 * domain (example field {@code domain}) is assigned round-robin, gold letters uniformly.
 */
public final class DomainTasks {
    private DomainTasks() {}

    public static Task generate(String name, int dev, int test, List<String> domains, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Integer> numbers = new ArrayList<>();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        while (numbers.size() < dev + test) {
            int n = 10_000 + rnd.nextInt(90_000);
            if (used.add(n)) numbers.add(n);
        }
        return new Task(name, TaskType.MULTIPLE_CHOICE, examples("d", numbers.subList(0, dev), domains, rnd),
                examples("t", numbers.subList(dev, dev + test), domains, rnd));
    }

    private static List<Example> examples(String prefix, List<Integer> numbers, List<String> domains, SplittableRandom rnd) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            String domain = domains.get(i % domains.size());
            Map<String, String> choices = new LinkedHashMap<>();
            for (String l : List.of("A", "B", "C", "D")) choices.put(l, "option " + l);
            String gold = List.of("A", "B", "C", "D").get(rnd.nextInt(4));
            out.add(new Example(prefix + numbers.get(i), "Question " + numbers.get(i) + " is about " + domain + ".", choices,
                    List.of(gold), Map.of("domain", domain)));
        }
        return out;
    }
}
