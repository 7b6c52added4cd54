package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Realised rates of a simulated model against the analytic values, with 99.9% intervals. */
class SimulatedModelStatisticsTest {
    static final Task MCQ = mcqTask(2000);

    @Test
    void accuracyMatchesConfiguredRate() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("a").accuracy(0.6).seed(7).build();
        long correct = 0;
        for (Example e : MCQ.test()) {
            String letter = letterOf(ask(m, mcqPrompt(e)).text());
            assertFalse(letter.isEmpty(), "every answer names a letter");
            if (letter.equals(e.answer())) correct++;
        }
        assertRate(0.6, correct, 2000, "accuracy 0.6");
    }

    @Test
    void twoModelsAreIndependentAndWrongAnswersAgreeOneThirdOfTheTime() {
        SimulatedModel a = SimulatedModel.builder(MCQ).name("a").accuracy(0.6).seed(7).build();
        SimulatedModel b = SimulatedModel.builder(MCQ).name("b").accuracy(0.6).seed(7).build();
        long both = 0, bothWrong = 0, bothWrongAgree = 0, aCorrect = 0, bCorrect = 0;
        for (Example e : MCQ.test()) {
            String la = letterOf(ask(a, mcqPrompt(e)).text());
            String lb = letterOf(ask(b, mcqPrompt(e)).text());
            boolean ca = la.equals(e.answer());
            boolean cb = lb.equals(e.answer());
            if (ca) aCorrect++;
            if (cb) bCorrect++;
            if (ca && cb) both++;
            if (!ca && !cb) {
                bothWrong++;
                if (la.equals(lb)) bothWrongAgree++;
            }
        }
        assertRate(0.6, aCorrect, 2000, "model a");
        assertRate(0.6, bCorrect, 2000, "model b");
        assertRate(0.36, both, 2000, "both correct (independence: 0.6 x 0.6)");
        assertRate(0.16, bothWrong, 2000, "both wrong (0.4 x 0.4)");
        // wrong letters are uniform over the 3 other options, so two wrong answers coincide with probability 1/3
        assertRate(1.0 / 3, bothWrongAgree, (int) bothWrong, "agreement of two wrong answers");
    }

    @Test
    void wrongLettersAreUniformOverTheOtherOptions() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("w").accuracy(0.0).seed(3).build();
        int[] offset = new int[4];
        for (Example e : MCQ.test()) {
            String l = letterOf(ask(m, mcqPrompt(e)).text());
            int d = Math.floorMod(l.charAt(0) - e.answer().charAt(0), 4);
            offset[d]++;
        }
        assertEquals(0, offset[0], "accuracy 0 never gives the gold letter");
        for (int d = 1; d < 4; d++) assertRate(1.0 / 3, offset[d], 2000, "wrong letter at offset " + d);
    }

    @Test
    void perGroupAccuracy() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("g").accuracy(0.3).groupAccuracy("math", 0.9).seed(11).build();
        long math = 0, mathOk = 0, law = 0, lawOk = 0;
        for (Example e : MCQ.test()) {
            boolean ok = letterOf(ask(m, mcqPrompt(e)).text()).equals(e.answer());
            if (e.group().orElseThrow().equals("math")) {
                math++;
                if (ok) mathOk++;
            } else {
                law++;
                if (ok) lawOk++;
            }
        }
        assertEquals(1000, math);
        assertRate(0.9, mathOk, (int) math, "math accuracy");
        assertRate(0.3, lawOk, (int) law, "law accuracy (the overall value)");
        assertEquals(0.9, m.accuracyFor(MCQ.test().get(0)));
        assertEquals(0.3, m.accuracyFor(MCQ.test().get(1)));
    }

    @Test
    void samplesAreIndependentDrawsAndGreedyRepeatsSampleZero() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("s").accuracy(0.6).seed(5).build();
        long firstAndSecond = 0;
        long[] correctAt = new long[4];
        for (Example e : MCQ.test()) {
            GenerationRequest hot = GenerationRequest.builder().user(mcqPrompt(e)).temperature(0.8).seed(1).samples(4).build();
            List<String> s = m.generate(hot).allSamples();
            assertEquals(4, s.size());
            for (int k = 0; k < 4; k++) if (letterOf(s.get(k)).equals(e.answer())) correctAt[k]++;
            if (letterOf(s.get(0)).equals(e.answer()) && letterOf(s.get(1)).equals(e.answer())) firstAndSecond++;
            GenerationRequest cold = GenerationRequest.builder().user(mcqPrompt(e)).temperature(0).samples(3).build();
            List<String> g = m.generate(cold).allSamples();
            assertEquals(g.get(0), g.get(1));
            assertEquals(g.get(0), g.get(2));
        }
        for (int k = 0; k < 4; k++) assertRate(0.6, correctAt[k], 2000, "sample " + k);
        assertRate(0.36, firstAndSecond, 2000, "samples 0 and 1 both correct");
    }

    @Test
    void persuasionAdoptsTheShownMajorityWithTheConfiguredProbability() {
        // the prompt shows two agents answering a fixed wrong letter M and one answering another letter;
        // P(output = M) = p + (1 - p) * P(own answer = M) = 0.3 + 0.7 * (0.4 / 3)
        SimulatedModel m = SimulatedModel.builder(MCQ).name("p").accuracy(0.6).persuadability(0.3).seed(9).build();
        long adopted = 0;
        for (Example e : MCQ.test()) {
            String gold = e.answer();
            String majority = LETTERS[(gold.charAt(0) - 'A' + 1) % 4];
            String minority = LETTERS[(gold.charAt(0) - 'A' + 2) % 4];
            String prompt = "You are part of a team of AI assistants collaborating to answer the user's question. "
                    + "Each assistant provides their own answer: use their answers to refine and improve your own answer.\n\n"
                    + "Question: " + mcqPrompt(e) + "\n\n"
                    + "Other assistants' answers:\n- The answer is (" + majority + ").\n- I think the answer is (" + minority + ")."
                    + "\n- After checking, the answer is (" + majority + ").\n\nPlease provide a refined answer to the question.";
            if (letterOf(ask(m, prompt).text()).equals(majority)) adopted++;
        }
        assertRate(0.3 + 0.7 * (0.4 / 3), adopted, 2000, "adoption of the shown majority");
    }

    @Test
    void withoutPersuadabilityShownAnswersChangeNothing() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("stubborn").accuracy(0.6).seed(9).build();
        for (Example e : MCQ.test().subList(0, 300)) {
            String alone = ask(m, mcqPrompt(e)).text();
            String withOthers = ask(m, "Question: " + mcqPrompt(e) + "\n\nOther answers:\n- The answer is (A).\n- The answer is (A).").text();
            assertEquals(alone, withOthers);
        }
    }

    @Test
    void routingPicksTheMatchingDescriptionWithSkillPlusChance() {
        // skill 0.8, 3 candidates, exactly one matches: P(pick it) = 0.8 + 0.2 / 3
        SimulatedModel router = SimulatedModel.builder(MCQ).name("r").routingSkill(0.8).seed(2).build();
        long right = 0;
        int[] picks = new int[4];
        for (Example e : MCQ.test()) {
            String domain = e.group().orElseThrow();
            String prompt = "You are an AI assistant that routes user questions to the most suitable AI model based on their descriptions.\n\n"
                    + "User question: " + mcqPrompt(e) + "\n\nModel descriptions:\n"
                    + "- 1: a generalist chat model\n- 2: an expert in math and statistics\n- 3: an expert in law and policy\n"
                    + "\nBased on the above descriptions, which model is best suited to answer the user's question? Respond with the model number only.";
            String reply = ask(router, prompt).text().strip();
            int pick = Integer.parseInt(reply);
            picks[pick]++;
            if ((domain.equals("math") && pick == 2) || (domain.equals("law") && pick == 3)) right++;
        }
        assertRate(0.8 + 0.2 / 3, right, 2000, "routing to the matching expert");
        assertEquals(0, picks[0]);
        // the generalist is chosen only by the random branch: 0.2 * 1/3
        assertRate(0.2 / 3, picks[1], 2000, "routing to the generalist");
    }

    @Test
    void routingRepliesWithModelNames() {
        SimulatedModel router = SimulatedModel.builder(MCQ).name("r").routingSkill(1.0).build();
        Example e = MCQ.test().get(0); // math
        String prompt = "Question: " + e.input() + "\nWhich model should answer?\n- sim:a: knows law\n- sim:b: strong at math\n";
        assertEquals("sim:b", ask(router, prompt).text());
    }
}
