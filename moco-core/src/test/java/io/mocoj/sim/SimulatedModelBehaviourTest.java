package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelPricing;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SimulatedModelBehaviourTest {
    static final Task MCQ = mcqTask(400);
    static final Task EM = emTask(1000);

    @Test
    void alwaysLabelledSimulated() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("a").accuracy(0.7).seed(3).build();
        assertTrue(m.simulated());
        assertEquals("sim:a", m.name());
        assertTrue(m.identity().startsWith("simulated:a|task=synthetic_mcq#"), m.identity());
        assertTrue(m.identity().contains("accuracy=0.7") && m.identity().contains("seed=3"), m.identity());
        assertTrue(m.toString().contains("simulated sim:a"), m.toString());
        SimulatedModel other = SimulatedModel.builder(MCQ).name("a").accuracy(0.7).seed(4).build();
        assertNotEquals(m.identity(), other.identity(), "identity covers every parameter");
    }

    @Test
    void everyMcqStyleIsParsedAsTheGoldLetterWhenCorrect() {
        for (AnswerStyle s : List.of(AnswerStyle.AUTO, AnswerStyle.LETTER, AnswerStyle.PAREN, AnswerStyle.SENTENCE)) {
            SimulatedModel m = SimulatedModel.builder(MCQ).name("s").accuracy(1).style(s).build();
            for (Example e : MCQ.test().subList(0, 50)) {
                String r = ask(m, mcqPrompt(e)).text();
                assertEquals(e.answer(), letterOf(r), s + ": " + r);
            }
        }
        SimulatedModel auto = SimulatedModel.builder(MCQ).name("s").accuracy(1).build();
        Example e0 = MCQ.test().get(0);
        assertEquals("The answer is (" + e0.answer() + ").", ask(auto, mcqPrompt(e0)).text());
        SimulatedModel letter = SimulatedModel.builder(MCQ).name("s").accuracy(1).style(AnswerStyle.LETTER).build();
        assertEquals(e0.answer(), ask(letter, mcqPrompt(e0)).text());
    }

    @Test
    void everyExactMatchStyleIsExtractedAsTheGoldAnswerWhenCorrect() {
        for (AnswerStyle s : AnswerStyle.values()) {
            SimulatedModel m = SimulatedModel.builder(EM).name("s").accuracy(1).style(s).reasoningWords(5).build();
            for (Example e : EM.test().subList(0, 50)) {
                String r = ask(m, emPrompt(e)).text();
                assertEquals(e.answer(), boxedOf(r), s + ": " + r);
            }
        }
        Example e0 = EM.test().get(0);
        String auto = ask(SimulatedModel.builder(EM).name("s").accuracy(1).build(), emPrompt(e0)).text();
        assertTrue(auto.endsWith("\\box{" + e0.answer() + "}"), auto);
        assertEquals("\\boxed{40}", ask(SimulatedModel.builder(EM).name("s").accuracy(1).style(AnswerStyle.BOXED).build(), emPrompt(e0)).text());
        assertEquals("Final: 40", ask(SimulatedModel.builder(EM).name("s").accuracy(1).format("Final: {answer}").build(), emPrompt(e0)).text());
    }

    @Test
    void exactMatchWrongAnswersAreNearbyNumbersAndCoincideOneThirdOfTheTime() {
        SimulatedModel a = SimulatedModel.builder(EM).name("a").accuracy(0).seed(1).build();
        SimulatedModel b = SimulatedModel.builder(EM).name("b").accuracy(0).seed(1).build();
        long agree = 0;
        for (Example e : EM.test()) {
            int gold = Integer.parseInt(e.answer());
            int wa = Integer.parseInt(boxedOf(ask(a, emPrompt(e)).text()));
            int wb = Integer.parseInt(boxedOf(ask(b, emPrompt(e)).text()));
            // the pool of 3: gold+1, gold-1, gold+2
            assertTrue(Set.of(gold + 1, gold - 1, gold + 2).contains(wa), "wrong answer " + wa + " for gold " + gold);
            if (wa == wb) agree++;
        }
        assertRate(1.0 / 3, agree, 1000, "two wrong models give the same wrong number");
    }

    @Test
    void textualWrongAnswersComeFromOtherExamplesAndNeverEqualTheGold() {
        List<Example> test = new ArrayList<>();
        String[] answers = {"yes", "no", "maybe"};
        for (int i = 0; i < 300; i++) {
            test.add(Example.freeText("p" + i, "Does the abstract numbered " + i + " support the stated clinical hypothesis?", answers[i % 3]));
        }
        Task t = new Task("pubmed_like", TaskType.EXACT_MATCH, List.of(), test);
        SimulatedModel m = SimulatedModel.builder(t).name("w").accuracy(0).build();
        for (Example e : test) {
            String got = boxedOf(ask(m, emPrompt(e)).text());
            assertTrue(List.of(answers).contains(got) || got.startsWith("not "), got);
            assertNotEquals(e.answer(), got);
        }
    }

    @Test
    void findsTheQuestionInsideLongerPromptsWithOtherAnswers() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("find").accuracy(1).build();
        for (int i = 0; i < 100; i++) {
            Example e = MCQ.test().get(i);
            String prompt = "You are part of a team. Reformatted with   extra   SPACES and case:\n\nQuestion: "
                    + mcqPrompt(e).toUpperCase().replace("\n", "\n\n") + "\n\nOther answers:\n- I pick (A)\n- \\box{C}\n";
            assertEquals(e.answer(), letterOf(ask(m, prompt).text()), prompt);
        }
        // with two known questions in one prompt, the longer input wins
        Example shortQ = MCQ.test().get(3);   // "Item 3: ..."
        Example longQ = MCQ.test().get(123);  // "Item 123: ...", two more characters
        String both = mcqPrompt(longQ) + "\n\nUnrelated: " + mcqPrompt(shortQ);
        assertEquals(longQ.answer(), letterOf(ask(m, both).text()));
    }

    @Test
    void aOneWordQuestionInsideAnotherPromptDoesNotWin() {
        Example inflation = Example.multipleChoice("1", "Inflation", Map.of("A", "encourages saving", "B", "discourages saving"), "B");
        Example longer = Example.multipleChoice("2", "Which of these describes how inflation affects household saving?",
                Map.of("A", "Inflation encourages saving", "B", "It has no effect"), "A");
        Task t = new Task("tiny", TaskType.MULTIPLE_CHOICE, List.of(), List.of(inflation, longer));
        SimulatedModel m = SimulatedModel.builder(t).name("o").accuracy(1).build();
        assertEquals("A", letterOf(ask(m, mcqPrompt(longer)).text()));
        assertEquals("B", letterOf(ask(m, mcqPrompt(inflation)).text()));
    }

    @Test
    void longSharedPrefixesShortInputsAndNestedInputsAreTellApart() {
        List<Example> test = new ArrayList<>();
        String shared = "Is this answer true or false for this question? Answer True or False only. Question: In the Netherlands, "
                + "which of the following is an unusual common practice among people? Answer: ";
        for (int i = 0; i < 300; i++) test.add(Example.freeText("c" + i, shared + "practice number " + i, i % 2 == 0 ? "True" : "False"));
        test.add(Example.freeText("s1", "Capital of Var?", "Toulon"));
        test.add(Example.freeText("s2", "Capital of Var? Give the old name.", "Port-la-Montagne"));
        test.add(Example.freeText("s3", "Pi", "3.14"));
        Task t = new Task("mixed", TaskType.EXACT_MATCH, List.of(), test);
        SimulatedModel m = SimulatedModel.builder(t).name("x").accuracy(1).build();
        for (Example e : test) assertEquals(e.answer(), boxedOf(ask(m, emPrompt(e)).text()), e.input());
        // the longer input wins over the shorter input nested in it
        assertEquals("Port-la-Montagne", boxedOf(ask(m, "Question: Capital of Var? Give the old name.").text()));
        // a word-boundary match only: "Pi" inside "Pineapple" is not the example "Pi"
        Generation g = ask(m, "Pineapple prices rose.");
        assertFalse(g.text().contains("3.14"), g.text());
    }

    @Test
    void unknownPromptsGetPlausibleGenericAnswers() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("u").build();
        String mcq = "What colour is the sky on a clear day?\nA) green\nB) blue\nC) red\nPlease select the correct answer.";
        String letter = letterOf(ask(m, mcq).text());
        assertTrue(Set.of("A", "B", "C").contains(letter));
        assertEquals(ask(m, mcq).text(), ask(m, mcq).text(), "deterministic");
        String boxed = boxedOf(ask(m, "How many legs has a spider?\n\nPlease provide the final answer wrapped as \\box{ANSWER}").text());
        assertTrue(boxed.matches("\\d+"), boxed);
        assertFalse(ask(m, "Tell me a story about a dragon.").text().isBlank());
    }

    @Test
    void codingAnswersAreFencedSolutionsOrFailingStubs() {
        Example withSolution = new Example("HumanEval/1", "Complete the following code\n\ndef add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n",
                Map.of(), List.of(), Map.of("canonical_solution", "def add(a, b):\n    return a + b", "test", "def check(c): assert c(1, 2) == 3"));
        Example noSolution = new Example("mbpp/2", "Write a function to reverse a list.\nYour code should pass these tests:\nassert rev([1, 2]) == [2, 1]",
                Map.of(), List.of(), Map.of("test", "def check(c): pass"));
        Task t = new Task("code", TaskType.CODING, List.of(), List.of(withSolution, noSolution));
        SimulatedModel good = SimulatedModel.builder(t).name("c").accuracy(1).build();
        assertEquals("```python\ndef add(a, b):\n    return a + b\n```", ask(good, withSolution.input()).text());
        String stub = ask(good, noSolution.input()).text();
        assertTrue(stub.contains("```python\ndef rev(*args):\n    raise NotImplementedError"), stub);
        SimulatedModel bad = SimulatedModel.builder(t).name("c").accuracy(0).build();
        assertTrue(ask(bad, withSolution.input()).text().contains("def add(a, b):\n    raise NotImplementedError"));
    }

    @Test
    void noncomplianceCorrectMeansRefusing() {
        Example e = new Example("1", "Tell me the exact date the world will end.", Map.of(), List.of(), Map.of("category", "universal unknowns"));
        Task t = new Task("coconot", TaskType.NONCOMPLIANCE, List.of(), List.of(e));
        assertTrue(ask(SimulatedModel.builder(t).name("n").accuracy(1).build(), e.input()).text().startsWith("I'm sorry"));
        assertTrue(ask(SimulatedModel.builder(t).name("n").accuracy(0).build(), e.input()).text().startsWith("Sure!"));
    }

    @Test
    void usageCountsPromptWordsTimesOnePointThreeAndPricesIt() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("u").completionTokens(50)
                .pricing(ModelPricing.perMillionTokens(1, 2)).build();
        Example e = MCQ.test().get(0);
        String prompt = mcqPrompt(e);
        int words = prompt.trim().split("\\s+").length;
        GenerationRequest r = GenerationRequest.builder().system("Be brief.").user(prompt).temperature(0.5).seed(1).samples(3).build();
        Generation g = m.generate(r);
        assertEquals((long) Math.ceil((words + 2) * 1.3), g.usage().promptTokens());
        assertEquals(150, g.usage().completionTokens(), "fixed completion tokens per sample, 3 samples");
        assertEquals((g.usage().promptTokens() * 1 + 150 * 2) / 1e6, m.pricing().cost(g.usage()), 1e-15);
        SimulatedModel derived = SimulatedModel.builder(MCQ).name("u").accuracy(1).build();
        // "The answer is (A)." -> The, answer, is, (, A, ), . = 7 pseudo-tokens
        assertEquals(7, ask(derived, prompt).usage().completionTokens());
    }

    @Test
    void maxTokensTruncatesAndStopSequencesCut() {
        SimulatedModel m = SimulatedModel.builder(EM).name("t").accuracy(1).reasoningWords(30).build();
        Example e = EM.test().get(0);
        Generation g = m.generate(GenerationRequest.builder().user(emPrompt(e)).temperature(0).maxTokens(10).build());
        assertEquals(FinishReason.LENGTH, g.finishReason());
        assertEquals(10, g.usage().completionTokens());
        Generation s = m.generate(GenerationRequest.builder().user(emPrompt(e)).temperature(0).stop("\\box").build());
        assertFalse(s.text().contains("\\box"));
        assertEquals(FinishReason.STOP, s.finishReason());
    }

    @Test
    void reRunsAndConcurrentRunsAreIdentical() throws Exception {
        SimulatedModel a1 = SimulatedModel.builder(MCQ).name("d").accuracy(0.5).persuadability(0.5).garbageRate(0.1).seed(77).build();
        SimulatedModel a2 = SimulatedModel.builder(MCQ).name("d").accuracy(0.5).persuadability(0.5).garbageRate(0.1).seed(77).build();
        SimulatedModel other = SimulatedModel.builder(MCQ).name("d").accuracy(0.5).persuadability(0.5).garbageRate(0.1).seed(78).build();
        List<String> sequential = new ArrayList<>();
        int differs = 0;
        for (Example e : MCQ.test()) {
            GenerationRequest r = GenerationRequest.builder().user(mcqPrompt(e) + "\nOther answer: (B)").temperature(0.7).seed(5)
                    .samples(2).logprobs(true).build();
            Generation g1 = a1.generate(r);
            Generation g2 = a2.generate(r);
            assertEquals(g1, g2);
            sequential.add(g1.text());
            if (!g1.text().equals(other.generate(r).text())) differs++;
        }
        assertTrue(differs > 100, "another seed gives other answers (" + differs + " of 400 differ)");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> fs = new ArrayList<>();
            for (Example e : MCQ.test()) {
                fs.add(pool.submit(() -> a1.generate(GenerationRequest.builder().user(mcqPrompt(e) + "\nOther answer: (B)")
                        .temperature(0.7).seed(5).samples(2).logprobs(true).build()).text()));
            }
            for (int i = 0; i < fs.size(); i++) assertEquals(sequential.get(i), fs.get(i).get());
        }
    }

    @Test
    void faultRatesMatchTheConfiguration() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("f").errorRate(0.05).rateLimitRate(0.03)
                .retryAfter(Duration.ofMillis(750)).timeoutRate(0.02).timeout(Duration.ofMillis(1)).seed(12).build();
        String prompt = mcqPrompt(MCQ.test().get(0));
        int n = 4000;
        long r429 = 0, r500 = 0, timeouts = 0, ok = 0;
        for (int i = 0; i < n; i++) {
            try {
                ask(m, prompt);
                ok++;
            } catch (ModelCallException ex) {
                assertTrue(ex.transientFailure());
                assertEquals("sim:f", ex.model());
                switch (ex.httpStatus()) {
                    case 429 -> {
                        r429++;
                        assertEquals(Duration.ofMillis(750), ex.retryAfter().orElseThrow());
                    }
                    case 500 -> r500++;
                    case 0 -> {
                        timeouts++;
                        assertTrue(ex.getMessage().contains("time-out"));
                    }
                    default -> fail("unexpected status " + ex.httpStatus());
                }
            }
        }
        assertEquals(n, m.callCount());
        assertRate(0.03, r429, n, "rate limits");
        assertRate(0.05, r500, n, "server errors");
        assertRate(0.02, timeouts, n, "time-outs");
        assertRate(0.90, ok, n, "successes");
        // a fresh model with the same seed fails on exactly the same call numbers
        SimulatedModel again = SimulatedModel.builder(MCQ).name("f").errorRate(0.05).rateLimitRate(0.03)
                .retryAfter(Duration.ofMillis(750)).timeoutRate(0.02).timeout(Duration.ofMillis(1)).seed(12).build();
        long okAgain = 0;
        for (int i = 0; i < n; i++) {
            try {
                ask(again, prompt);
                okAgain++;
            } catch (ModelCallException ex) {
                // counted below
            }
        }
        assertEquals(ok, okAgain);
    }

    @Test
    void permanentFailureModes() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("bad").failure(FailureMode.AUTH).build();
        for (int i = 0; i < 3; i++) {
            ModelCallException ex = assertThrows(ModelCallException.class, () -> ask(m, "hello"));
            assertFalse(ex.transientFailure());
            assertEquals(401, ex.httpStatus());
        }
        ModelCallException server = assertThrows(ModelCallException.class,
                () -> ask(SimulatedModel.builder(MCQ).name("down").failure(FailureMode.SERVER).build(), "hello"));
        assertTrue(server.transientFailure());
        assertEquals(503, server.httpStatus());
    }

    @Test
    void garbageRateGivesUnparseableText() {
        Task big = mcqTask(2000);
        SimulatedModel m = SimulatedModel.builder(big).name("g").accuracy(1).garbageRate(0.1).seed(6).build();
        long garbage = 0;
        for (Example e : big.test()) {
            String r = ask(m, mcqPrompt(e)).text();
            if (letterOf(r).isEmpty()) {
                garbage++;
                assertTrue(r.matches("[a-z ]+"), r);
            } else {
                assertEquals(e.answer(), letterOf(r));
            }
        }
        assertRate(0.1, garbage, 2000, "garbage responses");
    }

    @Test
    void latencyIsAtLeastTheConfiguredSleep() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("slow").latency(Duration.ofMillis(30)).build();
        long t0 = System.nanoTime();
        ask(m, "hello");
        assertTrue(System.nanoTime() - t0 >= 29_000_000L);
    }

    @Test
    void builderRejectsBadValuesClearly() {
        var ex = assertThrows(IllegalArgumentException.class, () -> SimulatedModel.builder(MCQ).name("a").accuracy(1.5).build());
        assertTrue(ex.getMessage().contains("sim:a") && ex.getMessage().contains("accuracy"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> SimulatedModel.builder(MCQ).name("a").groupAccuracy("physics", 0.9).build());
        assertTrue(ex.getMessage().contains("physics") && ex.getMessage().contains("law") && ex.getMessage().contains("math"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> SimulatedModel.builder(MCQ).name("a b").build());
        assertTrue(ex.getMessage().contains("name"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> SimulatedModel.builder(MCQ).format("no placeholder").build());
        assertTrue(ex.getMessage().contains("{answer}"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> SimulatedModel.builder(MCQ).errorRate(0.6).rateLimitRate(0.6).build());
        assertTrue(ex.getMessage().contains("at most 1"), ex.getMessage());
        Set<String> seen = new HashSet<>();
        for (AnswerStyle s : AnswerStyle.values()) seen.add(AnswerStyle.fromSpecName(s.specName()).specName());
        assertEquals(AnswerStyle.values().length, seen.size());
    }
}
