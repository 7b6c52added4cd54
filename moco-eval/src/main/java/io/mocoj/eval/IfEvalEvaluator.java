package io.mocoj.eval;

import io.mocoj.eval.internal.ifeval.IfEvalItem;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.List;
import java.util.Objects;

/**
 * ifeval: the share of an item's verifiable instructions ({@code instruction_id_list} with one
 * {@code kwargs} object each) the response follows.
 *
 * <p>{@link MatchMode#MOCO_COMPATIBLE} reproduces MoCo's simplified checkers (unknown ids count as
 * followed, a checker that fails on its kwargs counts as not followed, an item without instructions
 * scores 1). {@link MatchMode#STRICT} follows the official IFEval definitions; the score is the
 * instruction-level strict share and the detail also gives the loose result. {@link #summarize} gives
 * the four official numbers: prompt-level and instruction-level accuracy, strict and loose.
 */
public final class IfEvalEvaluator implements Evaluator {
    private final MatchMode mode;

    public IfEvalEvaluator(MatchMode mode) { this.mode = Objects.requireNonNull(mode, "mode"); }

    public MatchMode mode() { return mode; }

    @Override public TaskType taskType() { return TaskType.IFEVAL; }

    /** The input as is (MoCo sends it unchanged). */
    @Override public String prompt(Example example) { return MocoPrompts.plain(example); }

    /** The response itself (there is no short answer). */
    @Override public String extractAnswer(Example example, String response) { return response == null ? "" : response; }

    @Override
    public Score score(Example example, String response) {
        IfEvalItem item;
        try {
            item = IfEvalItem.of(example);
        } catch (IllegalArgumentException e) {
            return Score.failure("example " + example.id() + ": " + e.getMessage());
        }
        String r = extractAnswer(example, response);
        if (mode == MatchMode.MOCO_COMPATIBLE) {
            IfEvalItem.Result res = item.scoreMoco(r);
            return new Score(res.share(), r, false, res.detail());
        }
        IfEvalItem.Official o = item.scoreOfficial(r);
        if (o.unverifiable() != null) return Score.failure(o.unverifiable());
        return new Score(o.strict().share(), r, false, "strict " + o.strict().detail() + "; loose " + o.loose().detail());
    }

    /**
     * The official IFEval aggregate over a split (strict definitions, whatever this evaluator's mode):
     * prompt-level = share of items whose every instruction is followed; instruction-level = share
     * of all instructions followed; each strict and loose. Failed responses (null) follow nothing;
     * items whose instructions cannot be checked are left out and counted.
     */
    public IfEvalSummary summarize(List<Example> examples, List<String> responses) {
        if (examples.size() != responses.size()) throw new IllegalArgumentException(examples.size() + " examples but " + responses.size() + " responses");
        int prompts = 0, promptStrict = 0, promptLoose = 0, instructions = 0, instStrict = 0, instLoose = 0, skipped = 0;
        for (int i = 0; i < examples.size(); i++) {
            IfEvalItem item = IfEvalItem.of(examples.get(i));
            String r = responses.get(i) == null ? "" : responses.get(i);
            IfEvalItem.Official o = item.scoreOfficial(r);
            if (o.unverifiable() != null) {
                skipped++;
                continue;
            }
            prompts++;
            instructions += o.strict().total();
            instStrict += o.strict().followed();
            instLoose += o.loose().followed();
            if (o.strict().followed() == o.strict().total()) promptStrict++;
            if (o.loose().followed() == o.loose().total()) promptLoose++;
        }
        return new IfEvalSummary(prompts, instructions, ratio(promptStrict, prompts), ratio(instStrict, instructions),
                ratio(promptLoose, prompts), ratio(instLoose, instructions), skipped);
    }

    private static double ratio(int a, int b) { return b == 0 ? Double.NaN : (double) a / b; }

    /**
     * The official IFEval numbers.
     *
     * @param prompts            items scored
     * @param instructions       instructions over those items
     * @param promptStrict       share of items with every instruction followed (strict)
     * @param instructionStrict  share of instructions followed (strict)
     * @param promptLoose        the same, loose (a response also counts with its first and/or last line removed, or without {@code *})
     * @param instructionLoose   the same, loose
     * @param unverifiable       items left out because an instruction cannot be checked here (e.g. a language the detector lacks)
     */
    public record IfEvalSummary(int prompts, int instructions, double promptStrict, double instructionStrict,
                                double promptLoose, double instructionLoose, int unverifiable) {}
}
