package io.mocoj.examples.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Task;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each method against the best single model of its pool on the zoo's skill tasks (docs/zoo.md):
 * the pool is the skill's specialist(s) with base (and the weak model or the LoRA adapter); paired difference with its
 * 95% bootstrap interval, and the share of items no single model of the pool solves but the method
 * does ("collaborative emergence"). {@code examples/run bench.ZooMethodsBenchmark [limit]}
 */
public final class ZooMethodsBenchmark {
    public static void main(String[] args) {
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Zoo zoo = Zoo.shipped();
        Map<Skill, List<String>> pools = new LinkedHashMap<>();
        pools.put(Skill.MCQ, List.of("mcq", "base", "weak"));
        pools.put(Skill.ARITH, List.of("arith", "base", "weak"));
        pools.put(Skill.REVERSE, List.of("reverse", "base", "weak"));
        pools.put(Skill.SORT, List.of("sort", "lora-sort", "base"));
        pools.put(Skill.KBQA, List.of("kbqa", "base", "weak"));
        Map<String, java.util.function.Supplier<CollaborationMethod>> methods = new LinkedHashMap<>();
        methods.put("text_majority_vote", () -> Methods.majorityVote());
        methods.put("logit_logit_fusion", () -> Methods.logitFusion());
        System.out.println("| task | pool | method | method score | best single | paired difference [95%] | emergence |");
        System.out.println("|---|---|---|---|---|---|---|");
        int ahead = 0, cells = 0;
        for (Map.Entry<Skill, List<String>> p : pools.entrySet()) {
            Task task = SkillTasks.task(p.getKey());
            for (Map.Entry<String, java.util.function.Supplier<CollaborationMethod>> m : methods.entrySet()) {
                List<ModelEndpoint> models = new ArrayList<>();
                for (String name : p.getValue()) models.add(zoo.load(name, 1));
                long t0 = System.nanoTime();
                RunReport r = MoCo.run().models(models).method(m.getValue().get()).task(task).limit(limit)
                        .settings(new GenerationSettings(48, 0.0, 1.0, 8, 7)).seed(7).baselines(true).execute();
                RunReport.Baseline best = r.bestBaseline().orElseThrow();
                RunReport.Comparison c = r.comparison();
                int emergent = 0;
                for (int i = 0; i < r.examples().size(); i++) {
                    boolean anySolves = false;
                    for (RunReport.Baseline b : r.baselines()) anySolves |= b.examples().get(i).score() >= 0.999;
                    if (!anySolves && r.examples().get(i).score() >= 0.999) emergent++;
                }
                cells++;
                if (r.meanScore() > best.summary().mean()) ahead++;
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %s %.3f | %+.3f [%+.3f, %+.3f] | %d/%d (%.1f%%) |%n", task.name(),
                        String.join(", ", p.getValue()), m.getKey(), r.meanScore(), best.model(), best.summary().mean(),
                        c == null ? Double.NaN : c.meanDifference(), c == null ? Double.NaN : c.interval().low(),
                        c == null ? Double.NaN : c.interval().high(), emergent, r.examples().size(), 100.0 * emergent / r.examples().size());
                System.err.printf("%s %s %.0f s%n", task.name(), m.getKey(), (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "%nmethod ahead of the best single model in %d of %d settings (%.0f%%)%n", ahead, cells, 100.0 * ahead / cells);
    }
}
