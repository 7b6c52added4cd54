package io.mocoj.zoo.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.datasets.Datasets;
import io.mocoj.eval.Evaluators;
import io.mocoj.eval.JudgeSettings;
import io.mocoj.eval.RewardModelEvaluator;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rows' prompts are what the methods send: the real method classes run on recording models,
 * and the prompts they send are the toolbox builders applied to the task's evaluator prompt and
 * the answers they saw, the same calls {@link FormatRows} makes around an item's evaluator prompt
 * (which {@code FormatRowsTest} checks).
 */
class MethodPromptsTest {
    private static final Task TASK = SkillTasks.task(Skill.SORT, 3, 2, 2);
    private static final Evaluator EV = Evaluators.forTask(TASK);
    private static final String OTHER = "\\box{1}";

    /** A pool model: the task prompt of an example gets its fixed answer, any other prompt {@link #OTHER}; every prompt is recorded. */
    private record Recording(String name, int index, Set<String> seen) implements ModelEndpoint {
        @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT); }

        @Override public Generation generate(GenerationRequest request) {
            String prompt = request.lastUserText();
            seen.add(prompt);
            for (Example e : TASK.test()) if (EV.prompt(e).equals(prompt)) return Generation.of(answer(e, index));
            for (Example e : TASK.dev()) if (EV.prompt(e).equals(prompt)) return Generation.of(answer(e, index));
            return Generation.of(OTHER);
        }
    }

    private static String answer(Example e, int model) {
        return switch (model) {
            case 0 -> e.field(SkillTasks.REFERENCE_RESPONSE).orElseThrow();
            case 1 -> "\\box{9, 9}";
            default -> "\\box{0}";
        };
    }

    private static Set<String> run(CollaborationMethod method) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<ModelEndpoint> pool = List.of(new Recording("m0", 0, seen), new Recording("m1", 1, seen), new Recording("m2", 2, seen));
        MoCo.run().models(pool).method(method).task(TASK).settings(new GenerationSettings(16, 0.0, 1.0, 1, 3)).seed(3).baselines(false).execute();
        return seen;
    }

    private static List<String> first(Example e) { return List.of(answer(e, 0), answer(e, 1), answer(e, 2)); }

    @Test
    void debateAndSummaryPromptsOfMultiagentRefine() {
        Set<String> seen = run(Methods.multiagentRefine());
        for (Example e : TASK.test()) {
            String q = EV.prompt(e);
            assertTrue(seen.contains(TeamPrompts.refine(q, answer(e, 0), first(e).subList(1, 3))), "round-2 refine prompt of m0");
            assertTrue(seen.contains(TeamPrompts.summarise(q, List.of(OTHER, OTHER, OTHER))), "summary prompt");
        }
    }

    @Test
    void referencesOfMixtureOfAgents() {
        Set<String> seen = run(Methods.moa());
        for (Example e : TASK.test()) assertTrue(seen.contains(TeamPrompts.references(EV.prompt(e), first(e))));
    }

    @Test
    void pairwiseAndFusionOfLlmBlender() {
        Set<String> seen = run(Methods.llmBlender().topK(2));
        for (Example e : TASK.test()) {
            String q = EV.prompt(e);
            assertTrue(seen.contains(TeamPrompts.pairwise(q, answer(e, 0), answer(e, 1))));
            assertTrue(seen.contains(TeamPrompts.pairwise(q, answer(e, 1), answer(e, 2))));
            // every comparison reads neither letter ("\box{1}"), so wins tie and the pool order is the ranking
            assertTrue(seen.contains(TeamPrompts.fusion(q, first(e).subList(0, 2), TaskType.EXACT_MATCH)));
        }
    }

    @Test
    void knowledgeAndFeedbackPrompts() {
        Set<String> cards = run(Methods.knowledgeCard());
        Set<String> feedback = run(Methods.multiagentFeedback());
        for (Example e : TASK.test()) {
            String q = EV.prompt(e);
            assertTrue(cards.contains(TeamPrompts.knowledgeRequest(q)));
            assertTrue(cards.contains(TeamPrompts.answerWithKnowledge(q, List.of(OTHER, OTHER, OTHER))));
            // the first feedback round is round 2 (round 1 is the independent answers); every reviewer of m1 replied OTHER
            assertTrue(feedback.contains(TeamPrompts.feedbackRequest(q, "m1", answer(e, 1), 2)));
            assertTrue(feedback.contains(TeamPrompts.reviseWithFeedback(q, answer(e, 1), List.of(OTHER, OTHER), 2)));
        }
    }

    @Test
    void theTextGenerationJudgeSendsJudgePrompt() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ModelEndpoint judge = new Recording("judge", 9, seen);
        Task open = SkillTasks.task(Skill.OPEN, 3, 2, 2);
        Example e = open.test().get(0);
        new RewardModelEvaluator(TaskType.TEXT_GENERATION, judge, JudgeSettings.defaults()).score(e, "A reply.");
        assertTrue(seen.contains(RewardModelEvaluator.judgePrompt(e.input(), "A reply.")));
    }

    /** The rows make their examples as the task loader does, so their evaluator prompts are the methods' questions. */
    @ParameterizedTest
    @EnumSource(Skill.class)
    void rowExamplesAreTheTaskLoadersExamples(Skill skill) {
        Map<String, List<Map<String, Object>>> splits = SkillTasks.splits(skill, 3, 2, 4);
        Task task = SkillTasks.task(skill, 3, 2, 4);
        for (int i = 0; i < 4; i++) assertEquals(task.test().get(i), Datasets.example(skill.type(), splits.get("test").get(i)));
        FormatRows.Item it = FormatRows.itemsOf(Format.PEER_JUDGE, skill, splits.get("test"), 1).get(0);
        assertEquals(Evaluators.forTask(task).prompt(task.test().get(0)), it.question());
    }
}
