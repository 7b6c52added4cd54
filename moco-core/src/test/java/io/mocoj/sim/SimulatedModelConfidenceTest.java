package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenLogprob;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import org.junit.jupiter.api.Test;

/**
 * Log-probabilities and "just ask" answers against the documented distributions: mean token
 * probability ~ U[0.2 + 0.6k, 1) when correct, U[0.2, 1 - 0.4k) when wrong (k = calibration).
 */
class SimulatedModelConfidenceTest {
    static final Task MCQ = mcqTask(2000);

    private static GenerationRequest withLogprobs(String prompt, int top) {
        return GenerationRequest.builder().user(prompt).temperature(0).logprobs(true).topLogprobs(top).build();
    }

    private static void checkCalibration(double k) {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("c").accuracy(0.6).calibration(k).seed(21).build();
        double sumCorrect = 0, sumWrong = 0;
        int nCorrect = 0, nWrong = 0;
        double loC = 0.2 + 0.6 * k, hiW = 1 - 0.4 * k;
        for (Example e : MCQ.test()) {
            Generation g = m.generate(withLogprobs(mcqPrompt(e), 0));
            assertTrue(g.hasLogprobs());
            double c = g.meanTokenProbability().orElseThrow();
            if (letterOf(g.text()).equals(e.answer())) {
                assertTrue(c >= loC - 1e-9 && c < 1, "correct answer confidence " + c + " outside [" + loC + ", 1)");
                sumCorrect += c;
                nCorrect++;
            } else {
                assertTrue(c >= 0.2 - 1e-9 && c < hiW + 1e-9, "wrong answer confidence " + c + " outside [0.2, " + hiW + ")");
                sumWrong += c;
                nWrong++;
            }
        }
        assertUniformMean(loC, 1.0, sumCorrect, nCorrect, "confidence when correct, calibration " + k);
        assertUniformMean(0.2, hiW, sumWrong, nWrong, "confidence when wrong, calibration " + k);
    }

    @Test
    void perfectCalibrationSeparatesCorrectFromWrong() { checkCalibration(1.0); }

    @Test
    void zeroCalibrationGivesTheSameDistributionEitherWay() { checkCalibration(0.0); }

    @Test
    void halfCalibrationInterpolates() { checkCalibration(0.5); }

    @Test
    void cascadeThresholdAcceptanceRatesFollowFromTheUniformLaws() {
        // calibration 0.5: correct ~ U[0.5, 1), wrong ~ U[0.2, 0.8). With threshold t = 0.7:
        // P(accept | correct) = 0.3 / 0.5 = 0.6, P(accept | wrong) = 0.1 / 0.6 = 1/6.
        // Accepted share = 0.6 * 0.6 + 0.4 / 6; accuracy among accepted = 0.36 / (0.36 + 0.4 / 6).
        SimulatedModel m = SimulatedModel.builder(MCQ).name("weak").accuracy(0.6).calibration(0.5).seed(4).build();
        long accepted = 0, acceptedCorrect = 0;
        for (Example e : MCQ.test()) {
            Generation g = m.generate(withLogprobs(mcqPrompt(e), 0));
            if (g.meanTokenProbability().orElseThrow() >= 0.7) {
                accepted++;
                if (letterOf(g.text()).equals(e.answer())) acceptedCorrect++;
            }
        }
        assertRate(0.36 + 0.4 / 6, accepted, 2000, "accepted share");
        assertRate(0.36 / (0.36 + 0.4 / 6), acceptedCorrect, (int) accepted, "accuracy among accepted");
    }

    @Test
    void tokenLevelDetails() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("t").accuracy(0.6).calibration(1).seed(1).build();
        for (Example e : MCQ.test().subList(0, 200)) {
            Generation g = m.generate(withLogprobs(mcqPrompt(e), 3));
            StringBuilder joined = new StringBuilder();
            for (TokenLogprob t : g.logprobs()) {
                joined.append(t.token());
                assertTrue(t.probability() > 0 && t.probability() < 1);
                assertEquals(3, t.top().size());
                double sum = 0;
                for (int i = 0; i < t.top().size(); i++) {
                    sum += Math.exp(t.top().get(i).logprob());
                    if (i > 0) assertTrue(t.top().get(i - 1).logprob() >= t.top().get(i).logprob(), "alternatives sorted");
                }
                assertTrue(sum <= 1 + 1e-9, "alternatives hold at most all the mass");
            }
            assertEquals(g.text(), joined.toString(), "pseudo-tokens spell the text");
        }
        Generation plain = m.generate(greedy(mcqPrompt(MCQ.test().get(0))));
        assertFalse(plain.hasLogprobs(), "no log-probabilities unless asked");
        SimulatedModel noLp = SimulatedModel.builder(MCQ).name("nolp").logprobs(false).build();
        assertFalse(noLp.has(Capability.LOGPROBS));
        assertTrue(m.has(Capability.LOGPROBS));
    }

    private static String justAskPrompt(Example e) {
        return "User: ### Question: " + mcqPrompt(e) + "\n"
                + "For the above question, please answer it to your best effort.\n"
                + "If you are not confident of your answer, please say you are unconfident after your answer.\n";
    }

    @Test
    void justAskWithPerfectCalibrationSaysUnconfidentExactlyWhenWrong() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("j").accuracy(0.6).calibration(1).seed(8).build();
        for (Example e : MCQ.test()) {
            String r = ask(m, justAskPrompt(e)).text();
            boolean correct = letterOf(r).equals(e.answer());
            assertEquals(!correct, r.contains("unconfident"), r);
            // the same draw as the plain prompt: the answer does not change because of the question
            assertEquals(letterOf(ask(m, mcqPrompt(e)).text()), letterOf(r));
        }
    }

    @Test
    void justAskWithoutCalibrationIsACoinFlipWhateverTheCorrectness() {
        // confidence ~ U[0.2, 1) either way; unsure below 0.6 -> P(unconfident) = 0.4 / 0.8 = 0.5
        SimulatedModel m = SimulatedModel.builder(MCQ).name("j0").accuracy(0.6).calibration(0).seed(8).build();
        long unsureCorrect = 0, nCorrect = 0, unsureWrong = 0, nWrong = 0;
        for (Example e : MCQ.test()) {
            String r = ask(m, justAskPrompt(e)).text();
            boolean unsure = r.contains("unconfident");
            if (letterOf(r).equals(e.answer())) {
                nCorrect++;
                if (unsure) unsureCorrect++;
            } else {
                nWrong++;
                if (unsure) unsureWrong++;
            }
        }
        assertRate(0.5, unsureCorrect, (int) nCorrect, "unconfident when correct");
        assertRate(0.5, unsureWrong, (int) nWrong, "unconfident when wrong");
    }

    @Test
    void areYouSureFollowUpAnswersYesOrNoConsistentlyWithItsAnswer() {
        SimulatedModel m = SimulatedModel.builder(MCQ).name("q").accuracy(0.6).calibration(1).seed(8).build();
        for (Example e : MCQ.test().subList(0, 400)) {
            String first = ask(m, mcqPrompt(e)).text();
            GenerationRequest followUp = GenerationRequest.builder().user(mcqPrompt(e)).assistant(first)
                    .user("Are you sure? Answer yes or no.").temperature(0).build();
            String reply = m.generate(followUp).text();
            boolean correct = letterOf(first).equals(e.answer());
            assertEquals(correct ? "Yes, I am confident in my answer." : "No, I am not confident in my answer.", reply);
        }
    }
}
