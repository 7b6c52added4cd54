package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.LETTERS;
import static io.mocoj.sim.Fixtures.ask;
import static io.mocoj.sim.Fixtures.assertRate;
import static io.mocoj.sim.Fixtures.letterOf;
import static io.mocoj.sim.Fixtures.mcqPrompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The team-prompt rules of docs/simulated-models.md ("Team prompts"), measured on 3,000 questions each. */
class SimulatedModelTeamTest {
    static final int N = 3000;
    final Task task = Fixtures.mcqTask(N);

    static String gold(int i) { return LETTERS[i % 4]; }
    static String wrong(int i, int k) { return LETTERS[(i + k) % 4]; }
    static String says(String letter) { return "The answer is (" + letter + ")."; }

    SimulatedModel model(SimulatedModel.Builder b) { return b.name("t").seed(3).build(); }

    @Test
    void aggregationPicksAShownCorrectAnswerWithItsAccuracyElseThePlurality() {
        SimulatedModel m = model(SimulatedModel.builder(task).accuracy(0.5).aggregationAccuracy(0.7));
        long gold = 0, plurality = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String withGold = "Combine these answers into one final answer.\n\nQuestion: " + mcqPrompt(e) + "\n\n- " + says(wrong(i, 1))
                    + "\n- " + says(gold(i)) + "\n- " + says(wrong(i, 1)) + "\n";
            if (letterOf(ask(m, withGold).text()).equals(gold(i))) gold++;
            String withoutGold = "Synthesize these responses.\n1. " + says(wrong(i, 2)) + "\n2. " + says(wrong(i, 1)) + "\n3. " + says(wrong(i, 1))
                    + "\n\nQuestion: " + mcqPrompt(e);
            if (letterOf(ask(m, withoutGold).text()).equals(wrong(i, 1))) plurality++;
        }
        assertRate(0.7, gold, N, "gold shown once among a wrong plurality");
        assertEquals(N, plurality, "no correct answer shown: always the plurality");
    }

    @Test
    void critiqueNamesTheCorrectAnswerOfAWrongOneAndAgreesWithARightOneWithCritiqueAccuracy() {
        SimulatedModel m = model(SimulatedModel.builder(task).critiqueAccuracy(0.8));
        long namesGold = 0, agrees = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String onWrong = "Give brief, constructive feedback on the answer.\n\nQuestion: " + mcqPrompt(e) + "\n\nAnswer of sim:x: " + says(wrong(i, 1)) + "\n\nYour feedback:";
            if (letterOf(ask(m, onWrong).text()).equals(gold(i))) namesGold++;
            String onRight = onWrong.replace(says(wrong(i, 1)), says(gold(i)));
            String reply = ask(m, onRight).text();
            if (letterOf(reply).isEmpty()) agrees++;
        }
        assertRate(0.8, namesGold, N, "feedback on a wrong answer names the gold");
        assertRate(0.8, agrees, N, "feedback on a right answer agrees (names no other)");
    }

    @Test
    void revisingSwitchesToACorrectAnswerNamedInFeedbackWithFixRateAndOtherwiseKeepsThePreviousAnswer() {
        SimulatedModel m = model(SimulatedModel.builder(task).accuracy(0.9).fixRate(0.4));
        long fixed = 0, kept = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String base = "Question: " + mcqPrompt(e) + "\n\nYour previous answer: " + says(wrong(i, 1)) + "\n\nFeedback on your answer:\n- ";
            if (letterOf(ask(m, base + "This is not right. The correct answer is (" + gold(i) + ").\n").text()).equals(gold(i))) fixed++;
            if (letterOf(ask(m, base + "This is not right. The correct answer is (" + wrong(i, 2) + ").\n").text()).equals(wrong(i, 1))) kept++;
        }
        assertRate(0.4, fixed, N, "fix rate");
        assertEquals(N, kept, "feedback naming only a wrong answer: the previous answer stays (accuracy 0.9 is not used)");
    }

    @Test
    void knowledgeParagraphsStateTheGoldWithTheModelsAccuracyAndAreTakenUpWithContextUptake() {
        SimulatedModel m = model(SimulatedModel.builder(task).accuracy(0.3).contextUptake(0.6));
        long right = 0, answered = 0, independent = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String paragraph = ask(m, "Write a short paragraph of background knowledge for the question.\n\nQuestion: " + mcqPrompt(e)).text();
            boolean paragraphRight = letterOf(paragraph).equals(gold(i));
            if (paragraphRight) right++;
            boolean own = letterOf(ask(m, mcqPrompt(e)).text()).equals(gold(i));
            if (paragraphRight && own) independent++;
            String withKnowledge = "Answer the question with the help of the knowledge.\n\nQuestion: " + mcqPrompt(e)
                    + "\n\nKnowledge from the assistants:\n- Background knowledge: it points to (" + gold(i) + ").\n";
            if (letterOf(ask(m, withKnowledge).text()).equals(gold(i))) answered++;
        }
        assertRate(0.3, right, N, "paragraph accuracy = model accuracy");
        assertRate(0.09, independent, N, "paragraph and own answer are independent draws");
        assertRate(0.3 + 0.7 * 0.6, answered, N, "accuracy + (1 − accuracy)·uptake with a correct paragraph in context");
    }

    @Test
    void pairwiseJudgePicksTheCorrectCandidateWithJudgeAccuracyInEitherPosition() {
        SimulatedModel m = model(SimulatedModel.builder(task).judgeAccuracy(0.75));
        long first = 0, second = 0, tieA = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String q = "You judge two candidate answers.\n\nQuestion:\n" + mcqPrompt(e) + "\n\n";
            String tail = "\n\nWhich candidate answers the question better? Reply with A or B.";
            if (ask(m, q + "Candidate A:\n" + says(gold(i)) + "\n\nCandidate B:\n" + says(wrong(i, 1)) + tail).text().equals("A")) first++;
            if (ask(m, q + "Candidate A:\n" + says(wrong(i, 1)) + "\n\nCandidate B:\n" + says(gold(i)) + tail).text().equals("B")) second++;
            if (ask(m, q + "Candidate A:\n" + says(wrong(i, 2)) + "\n\nCandidate B:\n" + says(wrong(i, 1)) + tail).text().equals("A")) tieA++;
        }
        assertRate(0.75, first, N, "correct candidate as A");
        assertRate(0.75, second, N, "correct candidate as B");
        assertRate(0.5, tieA, N, "both wrong: A half of the time");
    }

    @Test
    void scoresAreHighForCorrectAndLowForWrongAnswersWithJudgeAccuracy() {
        SimulatedModel m = model(SimulatedModel.builder(task).judgeAccuracy(0.9));
        long highRight = 0, lowWrong = 0;
        double sum = 0;
        for (int i = 0; i < N; i++) {
            Example e = task.test().get(i);
            String prompt = "Rate the answer below on a scale from 1 to 10.\n\nQuestion: " + mcqPrompt(e) + "\n\nAnswer: ";
            int right = Integer.parseInt(ask(m, prompt + says(gold(i))).text());
            int wrong = Integer.parseInt(ask(m, prompt + says(wrong(i, 1))).text());
            assertTrue(right >= 1 && right <= 10 && wrong >= 1 && wrong <= 10);
            if (right >= 6) highRight++;
            if (wrong <= 5) lowWrong++;
            sum += right;
        }
        assertRate(0.9, highRight, N, "correct answer scored 6-10");
        assertRate(0.9, lowWrong, N, "wrong answer scored 1-5");
        // mean = 0.9·8 + 0.1·3 = 7.5, sd of one score ≤ 2.6
        assertEquals(7.5, sum / N, 3.29 * 2.6 / Math.sqrt(N));
    }

    @Test
    void aQuestionThatSaysCombineIsAnsweredNotAggregated() {
        Example e = Example.multipleChoice("c1", "Which law lets you combine the two forces into one?",
                java.util.Map.of("A", "first", "B", "second", "C", "third", "D", "fourth"), "C");
        Task t = new Task("combine", io.mocoj.task.TaskType.MULTIPLE_CHOICE, List.of(), List.of(e));
        SimulatedModel right = SimulatedModel.builder(t).name("r").accuracy(1).aggregationAccuracy(0).build();
        assertEquals("C", letterOf(ask(right, mcqPrompt(e)).text()));
    }
}
