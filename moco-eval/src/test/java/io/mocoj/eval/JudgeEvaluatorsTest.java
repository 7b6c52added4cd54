package io.mocoj.eval;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.task.Tasks;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgeEvaluatorsTest {

    /** A judge that answers from a script and records what it was asked. */
    static final class ScriptedJudge implements ModelEndpoint {
        final Deque<Object> script = new ArrayDeque<>();
        final List<GenerationRequest> requests = new ArrayList<>();

        ScriptedJudge(Object... replies) { script.addAll(List.of(replies)); }

        @Override public String name() { return "scripted-judge"; }

        @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }

        @Override
        public synchronized Generation generate(GenerationRequest request) {
            requests.add(request);
            Object next = script.poll();
            if (next == null) throw new AssertionError("judge called more often than scripted");
            if (next instanceof RuntimeException e) throw e;
            return Generation.of((String) next);
        }
    }

    private static final Example CHAT = Example.freeText("c1", "Write a haiku about rain.", "");

    @Test
    void rewardModelReadsTheLastRatingAndShowsInputAndResponse() {
        ScriptedJudge judge = new ScriptedJudge("Good imagery. Rating: 4 ... on reflection, Rating: **7**");
        Score s = Evaluators.rewardModel(judge).score(CHAT, "Drops on the window");
        assertEquals(7.0, s.value());
        assertFalse(s.failed());
        String asked = judge.requests.get(0).lastUserText();
        assertTrue(asked.contains("Write a haiku about rain.") && asked.contains("Drops on the window"), asked);
        assertEquals(0.0, judge.requests.get(0).temperature(), "first attempt is greedy");
    }

    @Test
    void unparseableJudgeIsRetriedThenRecordedAsFailed() {
        ScriptedJudge judge = new ScriptedJudge("I like it", "Rating: eleven", "Rating: 42");
        Score s = Evaluators.rewardModel(judge).score(CHAT, "x");
        assertTrue(s.failed(), "never silently 0");
        assertEquals(3, judge.requests.size());
        assertTrue(s.detail().contains("Rating: 42"), s.detail());
        assertTrue(judge.requests.get(1).temperature() > 0, "retries sample");
    }

    @Test
    void retrySucceedsAfterTransientFailure() {
        ScriptedJudge judge = new ScriptedJudge(ModelCallException.transientFailure("scripted-judge", "503"), "Rating: 9");
        assertEquals(9.0, Evaluators.rewardModel(judge).score(CHAT, "x").value());
    }

    @Test
    void permanentFailureStopsAtOnce() {
        ScriptedJudge judge = new ScriptedJudge(ModelCallException.permanent("scripted-judge", "401 unauthorized"), "Rating: 9");
        Score s = Evaluators.rewardModel(judge).score(CHAT, "x");
        assertTrue(s.failed());
        assertEquals(1, judge.requests.size());
        assertTrue(s.detail().contains("401"), s.detail());
    }

    @Test
    void generalVerifierForFreeTextShowsExtractedAnswer() {
        ScriptedJudge judge = new ScriptedJudge("The values agree.\nFinal Decision: Yes", "Final Decision: No");
        Example e = Example.freeText("g", "What is half of one?", "0.5");
        GeneralVerifierEvaluator v = Evaluators.generalVerifier(judge);
        Score yes = v.score(e, "It is \\box{1/2}");
        assertEquals(1.0, yes.value());
        assertEquals("1/2", yes.extracted());
        String asked = judge.requests.get(0).lastUserText();
        assertTrue(asked.contains("### Ground Truth Answer: 0.5") && asked.contains("### Student Answer: 1/2"), asked);
        assertEquals(0.0, v.score(e, "\\box{2}").value());
    }

    @Test
    void generalVerifierForMultipleChoiceShowsLetterAndText() {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("A", "red");
        choices.put("B", "blue");
        Example e = Example.multipleChoice("m", "Sky colour?", choices, "B");
        ScriptedJudge judge = new ScriptedJudge("final decision: yes");
        Score s = Evaluators.generalVerifier(judge).score(e, "B");
        assertEquals(1.0, s.value());
        String asked = judge.requests.get(0).lastUserText();
        assertTrue(asked.contains("Ground Truth Answer: B) blue") && asked.contains("Student Answer: B) blue"), asked);
    }

    @Test
    void generalVerifierWithoutDecisionFails() {
        ScriptedJudge judge = new ScriptedJudge("maybe", "not sure", "perhaps");
        Score s = Evaluators.generalVerifier(judge).score(Example.freeText("g", "q", "1"), "\\box{1}");
        assertTrue(s.failed());
        assertEquals("1", s.extracted());
    }

    @Test
    void providerGivesJudgeTasksAnEvaluatorThatExplainsWhatIsMissing() {
        var ev = Tasks.evaluatorFor(new Task("alpacaeval", TaskType.REWARD_MODEL, List.of(), List.of()));
        Score s = ev.score(CHAT, "x");
        assertTrue(s.failed());
        assertTrue(s.detail().contains("Evaluators.rewardModel(judge)"), s.detail());
        assertEquals("Write a haiku about rain.", ev.prompt(CHAT));
    }
}
