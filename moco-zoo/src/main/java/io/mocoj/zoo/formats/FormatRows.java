package io.mocoj.zoo.formats;

import io.mocoj.datasets.Datasets;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.MatchMode;
import io.mocoj.eval.RewardModelEvaluator;
import io.mocoj.local.LocalModel;
import io.mocoj.methods.text.AggLm;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.TaskType;
import io.mocoj.train.TrainingExample;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.internal.TrainingData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Training rows in the prompt formats the text methods send (see {@link Format}), so that zoo
 * models trained on them debate, judge, rank and aggregate for real. Every prompt is built by the
 * method's own prompt builder ({@code TeamPrompts}, {@code PeerJudge.prompt}, {@code Prompts.routing},
 * {@code AggLm.aggregationPrompt}, the text_generation judge's {@code RewardModelEvaluator.judgePrompt})
 * around the skill's evaluator prompt, which is exactly what the method sends; the shown answers
 * are the item's reference response and near-miss wrong responses ({@code Candidates}), and the
 * completion is what a sensible team member replies: the correct answer whatever the majority says,
 * the letter or score the method's parser reads as the right decision.
 *
 * <p>The zoo's held-out rule holds: the items come from {@link SkillTasks#trainingRecords} with
 * the registered tasks' dev and test inputs excluded for the skills drawn from large spaces.
 * Rows are kept short (at most {@link #MAX_CHARS} characters of prompt and completion, at most
 * three shown answers) for the zoo models' small context; {@link #fit} drops any that a given
 * model's tokenizer still makes too long. The same arguments give the same rows.
 *
 * <pre>{@code
 * List<TrainingExample> judge = FormatRows.rows(Format.PAIRWISE, Skill.KBQA, 1, 200);
 * List<TrainingExample> all = FormatRows.mixture(1, 300);   // every format, its skills, shuffled
 * }</pre>
 */
public final class FormatRows {
    /** The longest row (prompt and completion characters) that {@link #rows} makes. */
    public static final int MAX_CHARS = 900;
    /** The peer-judge score of a right response. */
    public static final int SCORE_RIGHT = 9;
    /** The peer-judge score of a wrong response. */
    public static final int SCORE_WRONG = 2;

    private static final List<String> AGENT_NAMES = List.of("base", "weak", "mcq", "arith", "reverse", "sort", "kbqa", "code");

    private FormatRows() {}

    /**
     * {@code n} rows of {@code format} over {@code skill}'s training items, from {@code seed}.
     *
     * @throws IllegalArgumentException when the format does not use the skill's items (see {@link Format#skills})
     */
    public static List<TrainingExample> rows(Format format, Skill skill, long seed, int n) {
        return items(format, skill, seed, n).stream().map(Item::row).toList();
    }

    /**
     * {@code nPerFormat} rows of every format, spread evenly over the skills it uses, in a seeded
     * shuffled order.
     */
    public static List<TrainingExample> mixture(long seed, int nPerFormat) {
        List<TrainingExample> all = new ArrayList<>();
        for (Format f : Format.values()) {
            List<Skill> skills = Format.skillsOf(f);
            for (int i = 0; i < skills.size(); i++) {
                int share = nPerFormat / skills.size() + (i < nPerFormat % skills.size() ? 1 : 0);
                if (share > 0) all.addAll(rows(f, skills.get(i), seed, share));
            }
        }
        Collections.shuffle(all, new Random(seed * 53 + 11));
        return all;
    }

    /** The rows whose prompt and completion fit {@code model}'s context with its chat template (the trainer refuses longer ones). */
    public static List<TrainingExample> fit(List<TrainingExample> rows, LocalModel model) {
        List<TrainingExample> out = new ArrayList<>();
        for (TrainingExample e : rows) {
            TrainingExample.Completion c = (TrainingExample.Completion) e;
            int tokens = model.encodeChat(List.of(io.mocoj.model.ChatMessage.user(c.prompt()), io.mocoj.model.ChatMessage.assistant(c.completion())),
                    false).length;
            if (tokens <= model.contextLength()) out.add(e);
        }
        return out;
    }

    /**
     * One row with what it was made of: the skill item, the responses shown (with which are right)
     * and the intended decision. Used by the tests and the benchmark to check a method's parser.
     *
     * @param record   the skill item's generated record (as in a MoCo data file, with its {@code reference_response})
     * @param example  the skill item (as the task loader makes it)
     * @param question the evaluator's prompt of the item (what the method puts in its prompt)
     * @param shown    the responses shown in the prompt
     * @param right    per shown response, whether it is the right one
     * @param prompt   the prompt, built by the method's prompt builder
     * @param completion the reply taught
     */
    public record Item(Format format, Skill skill, Map<String, Object> record, Example example, String question, List<String> shown, List<Boolean> right,
                       String prompt, String completion) {
        public Item {
            record = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(record));
        }

        /** The training row. */
        public TrainingExample row() { return new TrainingExample.Completion(prompt, completion); }
    }

    /** {@link #rows} with what each row was made of. */
    public static List<Item> items(Format format, Skill skill, long seed, int n) {
        if (!format.supports(skill)) {
            throw new IllegalArgumentException(format + " rows are made of the items of " + format.skills() + ", not " + skill.taskName());
        }
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, not " + n);
        Random r = new Random(seed * 1_000_003L + 7919L * format.ordinal() + skill.ordinal());
        Evaluator ev = Evaluators.forTaskType(skill.type(), MatchMode.MOCO_COMPATIBLE);
        List<Item> out = new ArrayList<>();
        int batch = Math.max(8, n + n / 2);
        for (int round = 0; out.size() < n; round++) {
            if (round > 20) throw new IllegalStateException("could not make " + n + " " + format + " rows of " + skill.taskName() + " within " + MAX_CHARS + " characters");
            long recordSeed = seed * 7_919L + 1_000L * format.ordinal() + round;
            for (Map<String, Object> rec : SkillTasks.trainingRecords(skill, recordSeed, batch, TrainingData.heldOut(skill))) {
                Item item = make(format, skill, rec, ev, r);
                if (item.prompt().length() + item.completion().length() <= MAX_CHARS) out.add(item);
                if (out.size() == n) break;
            }
        }
        return out;
    }

    /** One item of {@code format} from the record {@code rec}. */
    static Item make(Format format, Skill skill, Map<String, Object> rec, Evaluator ev, Random r) {
        Example ex = Datasets.example(skill.type(), rec);
        String q = ev.prompt(ex);
        String right = Candidates.right(rec);
        // coding needs the sandbox and open-ended answers a judge: their near misses are wrong by construction
        Predicate<String> scoresRight = skill == Skill.CODE || skill == Skill.OPEN ? w -> false : w -> ev.score(ex, w).value() >= 1;
        List<String> shown = new ArrayList<>();
        List<Boolean> ok = new ArrayList<>();
        String prompt;
        String completion = right;
        switch (format) {
            case REFINE -> {
                add(skill, rec, scoresRight, r, shown, ok, r.nextBoolean());
                team(skill, rec, scoresRight, r, 1 + r.nextInt(2), shown, ok);
                prompt = TeamPrompts.refine(q, shown.get(0), shown.subList(1, shown.size()));
            }
            case SUMMARISE -> {
                team(skill, rec, scoresRight, r, 2 + r.nextInt(2), shown, ok);
                prompt = TeamPrompts.summarise(q, shown);
            }
            case REFERENCES -> {
                team(skill, rec, scoresRight, r, 2 + r.nextInt(2), shown, ok);
                prompt = TeamPrompts.references(q, shown);
            }
            case GRAPH_NODE -> {
                team(skill, rec, scoresRight, r, r.nextInt(3), shown, ok);
                prompt = TeamPrompts.graphNode(q, shown, r.nextBoolean());
            }
            case FEEDBACK -> {
                add(skill, rec, scoresRight, r, shown, ok, r.nextBoolean());
                prompt = TeamPrompts.feedbackRequest(q, AGENT_NAMES.get(r.nextInt(AGENT_NAMES.size())), shown.get(0), 1 + r.nextInt(2));
                completion = feedback(ok.get(0), right);
            }
            case REVISE -> {
                add(skill, rec, scoresRight, r, shown, ok, r.nextBoolean());
                List<String> fb = new ArrayList<>();
                int reviewers = 1 + r.nextInt(2);
                for (int i = 0; i < reviewers; i++) fb.add(feedback(ok.get(0), right));
                prompt = TeamPrompts.reviseWithFeedback(q, shown.get(0), fb, 1 + r.nextInt(2));
            }
            case KNOWLEDGE -> {
                prompt = TeamPrompts.knowledgeRequest(q);
                completion = Candidates.paragraph(rec);
            }
            case ANSWER_WITH_KNOWLEDGE -> {
                List<String> paragraphs = new ArrayList<>(List.of(Candidates.paragraph(rec)));
                if (r.nextInt(3) > 0) paragraphs.add(Candidates.distractor(rec, r));
                Collections.shuffle(paragraphs, r);
                prompt = TeamPrompts.answerWithKnowledge(q, paragraphs);
            }
            case PAIRWISE -> {
                boolean aRight = r.nextBoolean();
                add(skill, rec, scoresRight, r, shown, ok, aRight);
                add(skill, rec, scoresRight, r, shown, ok, !aRight);
                prompt = TeamPrompts.pairwise(q, shown.get(0), shown.get(1));
                completion = aRight ? "A" : "B";
            }
            case FUSION -> {
                team(skill, rec, scoresRight, r, 2 + r.nextInt(2), shown, ok);
                prompt = TeamPrompts.fusion(q, shown, skill.type());
                completion = fused(skill, rec);
            }
            case AGGREGATION -> {
                team(skill, rec, scoresRight, r, 2 + r.nextInt(2), shown, ok);
                prompt = AggLm.aggregationPrompt(q, shown);
            }
            case PEER_JUDGE -> {
                add(skill, rec, scoresRight, r, shown, ok, r.nextBoolean());
                prompt = PeerJudge.prompt(q, shown.get(0));
                completion = "{\"score\": " + (ok.get(0) ? SCORE_RIGHT : SCORE_WRONG) + "}";
            }
            case JUDGE -> {
                add(skill, rec, scoresRight, r, shown, ok, r.nextBoolean());
                prompt = RewardModelEvaluator.judgePrompt(ex.input(), shown.get(0));
                completion = "Rating: " + (ok.get(0) ? SCORE_RIGHT : SCORE_WRONG);
            }
            case ROUTING -> {
                List<Skill> pool = new ArrayList<>(List.of(Skill.values()));
                pool.remove(skill);
                Collections.shuffle(pool, r);
                pool = new ArrayList<>(pool.subList(0, 1));
                pool.add(r.nextInt(2), skill);
                List<String> names = pool.stream().map(Skill::shortName).toList();
                List<String> descriptions = pool.stream().map(Skill::description).toList();
                prompt = Prompts.routing(q, names, descriptions);
                completion = Integer.toString(pool.indexOf(skill) + 1);
            }
            default -> throw new IllegalStateException(format.name());
        }
        return new Item(format, skill, rec, ex, q, List.copyOf(shown), List.copyOf(ok), prompt, completion);
    }

    /** The feedback taught: whether the reviewed answer is right, and the right one when it is not. */
    static String feedback(boolean answerRight, String right) {
        return answerRight ? "The answer is right: " + right : "The answer is wrong. The right answer is " + right;
    }

    /** The fused answer with the marker the fusion prompt asks for (none for the other task types). */
    static String fused(Skill skill, Map<String, Object> rec) {
        return switch (skill.type()) {
            case MULTIPLE_CHOICE -> "Answer: " + Candidates.shortAnswer(skill, rec) + "."; // the final '.' lets MoCo's extraction read the letter
            case EXACT_MATCH, F1_MATCH -> "Final Answer: \\boxed{" + Candidates.shortAnswer(skill, rec) + "}";
            default -> Candidates.right(rec);
        };
    }

    /**
     * {@code size} team answers, each right with probability 0.4 and a wrong one repeating the
     * team's first wrong answer half of the time, so that the majority is often wrong and the
     * right answer is sometimes missing.
     */
    private static void team(Skill skill, Map<String, Object> rec, Predicate<String> scoresRight, Random r, int size, List<String> shown, List<Boolean> ok) {
        String firstWrong = null;
        for (int i = 0; i < size; i++) {
            if (r.nextDouble() < 0.4) {
                shown.add(Candidates.right(rec));
                ok.add(true);
            } else {
                String w = firstWrong != null && r.nextBoolean() ? firstWrong : Candidates.wrong(skill, rec, r, scoresRight);
                if (firstWrong == null) firstWrong = w;
                shown.add(w);
                ok.add(false);
            }
        }
    }

    private static void add(Skill skill, Map<String, Object> rec, Predicate<String> scoresRight, Random r, List<String> shown, List<Boolean> ok, boolean right) {
        shown.add(right ? Candidates.right(rec) : Candidates.wrong(skill, rec, r, scoresRight));
        ok.add(right);
    }
}
