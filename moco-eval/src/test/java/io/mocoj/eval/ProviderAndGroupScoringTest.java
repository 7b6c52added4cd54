package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.task.Tasks;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ProviderAndGroupScoringTest {

    private static Example cb(String id, String qid, String answer) {
        return Example.freeText(id, "Is it true? " + id, answer).withFields(Map.of("question_id", qid));
    }

    @Test
    void serviceLoaderFindsEvaluatorsByTypeAndName() {
        Evaluator mc = Tasks.evaluatorFor(new Task("arc_challenge", TaskType.MULTIPLE_CHOICE, List.of(), List.of()));
        assertInstanceOf(MultipleChoiceEvaluator.class, mc);
        assertEquals(MatchMode.MOCO_COMPATIBLE, ((MultipleChoiceEvaluator) mc).mode());
        assertInstanceOf(ExactMatchEvaluator.class, Tasks.evaluatorFor(new Task("gsm8k", TaskType.EXACT_MATCH, List.of(), List.of())));
        assertInstanceOf(F1MatchEvaluator.class, Tasks.evaluatorFor(new Task("popqa", TaskType.F1_MATCH, List.of(), List.of())));
        Evaluator culture = Tasks.evaluatorFor(new Task("culturebench", TaskType.EXACT_MATCH, List.of(), List.of()));
        assertInstanceOf(GroupAllCorrectEvaluator.class, culture);
        assertEquals("question_id", ((GroupAllCorrectEvaluator) culture).groupField());
    }

    @Test
    void everyTaskTypeHasAnEvaluatorOfThatType() {
        for (TaskType type : TaskType.values()) {
            Evaluator ev = Tasks.evaluatorFor(new Task("some_task", type, List.of(), List.of()));
            assertEquals(type, ev.taskType(), type.configName());
        }
        assertInstanceOf(CodingEvaluator.class, Evaluators.forTask(new Task("mbpp", TaskType.CODING, List.of(), List.of())));
        assertInstanceOf(NoncomplianceEvaluator.class, Evaluators.forTask(new Task("coconot", TaskType.NONCOMPLIANCE, List.of(), List.of())));
        assertInstanceOf(GenerationDiversityEvaluator.class,
                Evaluators.forTask(new Task("infinite_chat_diversity", TaskType.GENERATION_DIVERSITY, List.of(), List.of())));
    }

    @Test
    void strictModeOnlyWhenAskedFor() {
        Task gsm = new Task("gsm8k", TaskType.EXACT_MATCH, List.of(), List.of());
        assertEquals(MatchMode.MOCO_COMPATIBLE, ((ExactMatchEvaluator) Evaluators.forTask(gsm)).mode());
        assertEquals(MatchMode.STRICT, ((ExactMatchEvaluator) Evaluators.forTask(gsm, MatchMode.STRICT)).mode());
        Task culture = new Task("culturebench", TaskType.EXACT_MATCH, List.of(), List.of());
        var strictCulture = (GroupAllCorrectEvaluator) Evaluators.forTask(culture, MatchMode.STRICT);
        assertEquals(MatchMode.STRICT, ((ExactMatchEvaluator) strictCulture.inner()).mode());
    }

    @Test
    void culturebenchGroupIsAllOrNothing() {
        List<Example> examples = List.of(cb("1", "q1", "true"), cb("2", "q1", "false"), cb("3", "q2", "true"),
                cb("4", "q2", "false"), Example.freeText("5", "no group", "yes"));
        List<String> responses = Arrays.asList("\\box{True}", "\\box{false}", "\\box{true}", "\\box{true}", "\\box{yes}");
        List<Score> scores = Evaluators.culturebench().scoreAll(examples, responses);
        assertEquals(List.of(1.0, 1.0, 0.0, 0.0, 1.0), scores.stream().map(Score::value).toList());
        assertEquals("true", scores.get(2).extracted());
    }

    @Test
    void nullResponseFailsItsGroup() {
        List<Example> examples = List.of(cb("1", "q1", "a"), cb("2", "q1", "b"));
        List<Score> scores = Evaluators.culturebench().scoreAll(examples, Arrays.asList("\\box{a}", null));
        assertEquals(List.of(0.0, 0.0), scores.stream().map(Score::value).toList());
    }
}
