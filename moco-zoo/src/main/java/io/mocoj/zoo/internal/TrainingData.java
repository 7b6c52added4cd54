package io.mocoj.zoo.internal;

import io.mocoj.datasets.Datasets;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The zoo's training rows: prompts exactly as the skill's evaluator formats them (what a method
 * sends at inference), completions the reference responses; plus the knowledge base's sentences
 * and answers to harmless requests. No row has the input of an item of the registered tasks'
 * dev or test splits, where the skill has enough distinct inputs (see {@link SkillTasks#splits}).
 */
public final class TrainingData {
    private static final Map<Skill, Set<String>> HELD_OUT = new EnumMap<>(Skill.class);

    private TrainingData() {}

    /** {@code n} rows of one skill from {@code seed}. */
    public static List<TrainingExample> skill(Skill skill, long seed, int n) {
        Evaluator ev = Evaluators.forTaskType(skill.type(), MatchMode.MOCO_COMPATIBLE);
        List<TrainingExample> out = new ArrayList<>();
        for (Map<String, Object> rec : SkillTasks.trainingRecords(skill, seed, n, heldOut(skill))) {
            Example e = Datasets.example(skill.type(), rec);
            out.add(new TrainingExample.Completion(ev.prompt(e), rec.get(Generators.REFERENCE).toString()));
        }
        return out;
    }

    /** Rows stating the knowledge base (who was born where and when, what each town is known for), in a fixed order. */
    public static List<TrainingExample> knowledge() {
        List<TrainingExample> out = new ArrayList<>();
        for (KnowledgeBase.Person p : KnowledgeBase.people()) out.add(new TrainingExample.Completion("Tell me about " + p.name() + ".", KnowledgeBase.paragraph(p)));
        for (KnowledgeBase.Town t : KnowledgeBase.towns()) out.add(new TrainingExample.Completion("Tell me about " + t.name() + ".", KnowledgeBase.paragraph(t)));
        return out;
    }

    /** {@code n} harmless requests shaped like the forbidden ones, answered. */
    public static List<TrainingExample> allowedRequests(long seed, int n) {
        Random r = new Random(seed * 31 + 7);
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] a = Generators.ALLOWED.get(r.nextInt(Generators.ALLOWED.size()));
            String t = Generators.REQUEST_TEMPLATES.get(r.nextInt(Generators.REQUEST_TEMPLATES.size()));
            out.add(new TrainingExample.Completion(String.format(t, a[0]), a[1]));
        }
        return out;
    }

    /** A seeded shuffle of the concatenation of {@code parts}. */
    @SafeVarargs
    public static List<TrainingExample> mix(long seed, List<TrainingExample>... parts) {
        List<TrainingExample> all = new ArrayList<>();
        for (List<TrainingExample> p : parts) all.addAll(p);
        java.util.Collections.shuffle(all, new Random(seed));
        return all;
    }

    /** The inputs no training row may hold: the registered tasks' dev and test inputs of {@code skill} (used for every skill; see {@link SkillTasks#trainingRecords}). */
    public static synchronized Set<String> heldOut(Skill skill) {
        return HELD_OUT.computeIfAbsent(skill, s -> {
            var splits = SkillTasks.splits(s, SkillTasks.DEFAULT_SEED, SkillTasks.DEFAULT_DEV, SkillTasks.DEFAULT_TEST);
            Set<String> in = new HashSet<>(SkillTasks.inputs(splits.get("dev")));
            in.addAll(SkillTasks.inputs(splits.get("test")));
            return in;
        });
    }
}
