package io.mocoj.zoo.formats;

import io.mocoj.datasets.Datasets;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.methods.text.AggLm;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.internal.TrainingData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rows of AggLM's aggregation prompt ({@code AggLm.aggregationPrompt}) whose completion names one
 * of the shown solutions and copies its boxed answer: {@code Solution 2: \box{z q k}}. The solution
 * named is drawn uniformly at random, whether it is right or not, so a model trained on these rows
 * learns the shape of an aggregate (pick a solution, write out its answer) but not which solution
 * to pick: that is left for AggLM's reinforcement learning (the {@code agg} zoo model, docs/zoo.md).
 *
 * <p>The items are the zoo's training items of the boxed-answer skills ({@link #SKILLS}), with the
 * registered tasks' dev and test inputs excluded (the zoo's held-out rule); each row shows 2 to 4
 * solutions, each the item's reference response with probability 0.4, else a near miss shaped like
 * it. The same arguments give the same rows.
 */
public final class AggregationPicks {
    /** The skills whose items the rows are made of (their answers are boxed). */
    public static final List<Skill> SKILLS = List.of(Skill.ARITH, Skill.REVERSE, Skill.SORT, Skill.KBQA);

    private AggregationPicks() {}

    /** {@code nPerSkill} rows of every skill of {@link #SKILLS}, in a seeded shuffled order. */
    public static List<TrainingExample> rows(long seed, int nPerSkill) {
        List<TrainingExample> out = new ArrayList<>();
        for (Skill skill : SKILLS) out.addAll(rows(skill, seed, nPerSkill));
        Collections.shuffle(out, new Random(seed * 61 + 17));
        return out;
    }

    /** {@code n} rows of {@code skill}'s training items. */
    public static List<TrainingExample> rows(Skill skill, long seed, int n) {
        if (!SKILLS.contains(skill)) throw new IllegalArgumentException("aggregation picks are made of " + SKILLS + " items, not " + skill.taskName());
        Random r = new Random(seed * 1_000_033L + skill.ordinal());
        Evaluator ev = Evaluators.forTaskType(skill.type(), MatchMode.MOCO_COMPATIBLE);
        List<TrainingExample> out = new ArrayList<>();
        for (Map<String, Object> rec : SkillTasks.trainingRecords(skill, seed * 7_907L + 4_001L, 2 * n + 8, TrainingData.heldOut(skill))) {
            Example ex = Datasets.example(skill.type(), rec);
            int size = 2 + r.nextInt(3);
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                shown.add(r.nextDouble() < 0.4 ? Candidates.right(rec) : Candidates.wrong(skill, rec, r, w -> ev.score(ex, w).value() >= 1));
            }
            int pick = r.nextInt(size);
            String box = lastBox(shown.get(pick));
            String prompt = AggLm.aggregationPrompt(ev.prompt(ex), shown);
            if (box == null || prompt.length() + box.length() > FormatRows.MAX_CHARS) continue;
            out.add(new TrainingExample.Completion(prompt, "Solution " + (pick + 1) + ": " + box));
            if (out.size() == n) return out;
        }
        throw new IllegalStateException("could not make " + n + " aggregation picks of " + skill.taskName());
    }

    /** The last {@code \box{...}} of {@code text}, or null. */
    static String lastBox(String text) {
        int b = text.lastIndexOf("\\box{");
        int e = b < 0 ? -1 : text.indexOf('}', b);
        return e < 0 ? null : text.substring(b, e + 1);
    }
}
