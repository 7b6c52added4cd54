package io.mocoj.eval;

import io.mocoj.task.Example;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MultipleChoiceEvaluatorTest {

    private static Example example(String gold, String... options) {
        Map<String, String> choices = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i++) choices.put(String.valueOf((char) ('A' + i)), options[i]);
        return Example.multipleChoice("q1", "Which planet is largest?", choices, gold);
    }

    private final Example planets = example("C", "Mars", "Venus", "Jupiter", "Mercury");
    private final MultipleChoiceEvaluator compat = Evaluators.multipleChoice();
    private final MultipleChoiceEvaluator strict = Evaluators.strictMultipleChoice();

    @Test
    void promptListsOptionsByPositionThenInstruction() {
        assertEquals("Which planet is largest?\nA) Mars\nB) Venus\nC) Jupiter\nD) Mercury\n"
                + "Please select the correct answer by choosing the letter corresponding to your choice.\n",
                compat.prompt(planets));
    }

    @Test
    void bareLetterAndLetterPrefixesCount() {
        assertEquals("C", compat.extractAnswer(planets, "  c  "));
        assertEquals("C", compat.extractAnswer(planets, "C) because it is a gas giant"));
        assertEquals("C", compat.extractAnswer(planets, "C. Jupiter"));
        assertEquals(1.0, compat.score(planets, "C").value());
    }

    @Test
    void compatibleQuirkResponseStartingWithArticleACountsAsOptionA() {
        // "a " at the start is read as option A, even though it is the article.
        assertEquals("A", compat.extractAnswer(planets, "A gas giant, Jupiter, is the largest."));
        assertEquals(0.0, compat.score(planets, "A gas giant, Jupiter, is the largest.").value());
        // strict mode does not fall for it: the only option text present is Jupiter
        assertEquals("C", strict.extractAnswer(planets, "A gas giant, Jupiter, is the largest."));
    }

    @Test
    void compatibleQuirkFirstOptionTextInOrderWins() {
        String response = "Not Mars, and not Venus; the answer is Jupiter";
        assertEquals("A", compat.extractAnswer(planets, response));
        // strict: several option texts occur, the "answer is" declaration names no letter -> no answer
        assertEquals("", strict.extractAnswer(planets, response));
    }

    @Test
    void optionTextMatchIsCaseInsensitiveAndBeatsLetterPatterns() {
        assertEquals("C", compat.extractAnswer(planets, "I think JUPITER (B) hmm"));
    }

    @Test
    void letterPatternsAnywhereAsLastResort() {
        assertEquals("B", compat.extractAnswer(planets, "My choice: (b)"));
        assertEquals("D", compat.extractAnswer(planets, "so the answer is d"));
        assertEquals("B", compat.extractAnswer(planets, "Well, b) seems right"));
        // "x." anywhere: the trailing "c." of a sentence counts as C in compatible mode
        assertEquals("C", compat.extractAnswer(planets, "I pick nothing, sorry etc."));
        assertEquals("", strict.extractAnswer(planets, "I pick nothing, sorry etc."));
    }

    @Test
    void noRecognisedOptionScoresZeroWithEmptyExtraction() {
        var s = compat.score(planets, "I do not know.");
        assertEquals(0.0, s.value());
        assertEquals("", s.extracted());
        assertEquals(false, s.failed());
    }

    @Test
    void strictTakesLastExplicitDeclaration() {
        String response = "Option A) Mars is small. Considering B too.\nFinal answer: C";
        assertEquals("C", strict.extractAnswer(planets, response));
        assertEquals("C", strict.extractAnswer(planets, "Reasoning...\n\\boxed{C}"));
        assertEquals("B", strict.extractAnswer(planets, "(B)"));
        assertEquals("C", strict.extractAnswer(planets, "The answer is (C)."));
        // lower-case article after "answer is" is not a letter in strict mode
        assertEquals("", strict.extractAnswer(planets, "The answer is a planet, Mars or Venus"));
    }

    @Test
    void strictIgnoresAnOptionContainedInALongerOne() {
        Example weights = example("B", "8 lb", "0.8 lb", "80 lb");
        assertEquals("B", strict.extractAnswer(weights, "It weighs 0.8 lb in total."));
        assertEquals("", strict.extractAnswer(weights, "Either 0.8 lb or 8 lb, hard to say."));
        // compatible: the first option in order whose text occurs, here "8 lb" inside "0.8 lb"
        assertEquals("A", compat.extractAnswer(weights, "It weighs 0.8 lb in total."));
    }

    @Test
    void strictWholeResponseEqualToOneOption() {
        assertEquals("D", strict.extractAnswer(planets, "Mercury."));
    }

    @Test
    void goldGivenAsChoiceKeyIsMappedToPositionLetterOnlyInStrictMode() {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("1", "yes");
        choices.put("2", "no");
        Example e = Example.multipleChoice("q", "Is it?", choices, "2");
        // the toolkit compares the file's answer with the letter: "2" never equals "B"
        assertEquals(0.0, compat.score(e, "B").value());
        assertEquals(1.0, strict.score(e, "B").value());
        Example lowerGold = Example.multipleChoice("q", "Is it?", Map.of("A", "yes"), "a");
        assertEquals(0.0, compat.score(lowerGold, "A").value());
        assertEquals(1.0, strict.score(lowerGold, "A").value());
    }
}
