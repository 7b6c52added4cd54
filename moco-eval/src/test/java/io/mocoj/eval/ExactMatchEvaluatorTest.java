package io.mocoj.eval;

import io.mocoj.task.Example;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExactMatchEvaluatorTest {
    private final ExactMatchEvaluator compat = Evaluators.exactMatch();
    private final ExactMatchEvaluator strict = Evaluators.strictExactMatch();
    private final Example any = Example.freeText("1", "What is 6*7?  \n ", "42");

    private String extract(String response) { return compat.extractAnswer(any, response); }

    @Test
    void promptStripsTrailingWhiteSpaceAndAddsBoxInstruction() {
        assertEquals("What is 6*7?\n\nPlease provide the final, direct answer wrapped exactly as \\box{ANSWER}", compat.prompt(any));
    }

    @Test
    void lastBoxWinsAndBoxAndBoxedBothCount() {
        assertEquals("7", extract("first \\box{3} then \\boxed{7}"));
        assertEquals("3", extract("first \\boxed{7} then \\box{3}"));
        assertEquals("x", extract("\\BOXED{ x }"));
    }

    @Test
    void boxIsNonGreedyToFirstClosingBrace() {
        assertEquals("\\frac{1", extract("\\boxed{\\frac{1}{2}}"));
        assertEquals("\\frac{1}{2}", strict.extractAnswer(any, "\\boxed{\\frac{1}{2}}"));
    }

    @Test
    void braceContentMaySpanLines() {
        assertEquals("line one\nline two", extract("\\box{line one\nline two}"));
    }

    @Test
    void inlineBoxToEndOfLine() {
        assertEquals("42 apples", extract("so \\box 42 apples\nmore text"));
    }

    @Test
    void labelledFormsNeedAFollowingNewline() {
        assertEquals("42", extract("Working...\nFinal Answer: 42.\nDone"));
        assertEquals("Paris", extract("answer: Paris\n"));
        // without a newline the six labelled forms do not count, but the looser "answer[ is|=][:|-]" label does
        assertEquals("Paris", extract("Answer: Paris"));
    }

    @Test
    void labelsAreTriedInTheirListOrder() {
        // "Answer:" comes before "Solution:" in the list even though Solution appears first
        assertEquals("B", extract("Solution: A\nAnswer: B\n"));
        assertEquals("A", extract("Final Answer: A\nAnswer: B\n"));
    }

    @Test
    void looseLabelsWithIsOrEquals() {
        assertEquals("12", extract("I computed it and the answer is 12."));
        assertEquals("7", extract("final answer = 7"));
        // the loose labels take the rest of the line, trimming only trailing dots and spaces
        assertEquals("Berlin. Sure", extract("My answer is Berlin. Sure\nnext line"));
    }

    @Test
    void otherwiseWholeResponseTrimmed() {
        assertEquals("just 42", extract("  just 42 \n"));
    }

    @Test
    void scoringNormalisesArticlesPunctuationCaseAndSpaces() {
        Example e = Example.freeText("2", "Capital?", "The Eiffel   Tower");
        assertEquals(1.0, compat.score(e, "\\box{eiffel tower!}").value());
        assertEquals(0.0, compat.score(e, "\\box{tower eiffel}").value());
        assertEquals("eiffel tower!", compat.score(e, "\\box{eiffel tower!}").extracted());
    }

    @Test
    void anyReferenceCounts() {
        Example e = new Example("3", "q", Map.of(), List.of("NYC", "New York City"), Map.of());
        assertEquals(1.0, compat.score(e, "\\box{new york city}").value());
    }

    @Test
    void compatibleComparesPunctuationStrippedText() {
        Example thousand = Example.freeText("4", "q", "1000");
        assertEquals(1.0, compat.score(thousand, "\\box{1,000}").value(), "comma is punctuation, dropped");
        Example fifteen = Example.freeText("5", "q", "15");
        assertEquals(1.0, compat.score(fifteen, "\\box{1.5}").value(), "compatible quirk: the dot is dropped too");
        Example half = Example.freeText("6", "q", "0.5");
        assertEquals(0.0, compat.score(half, "\\box{1/2}").value());
        Example five = Example.freeText("7", "q", "5");
        assertEquals(0.0, compat.score(five, "\\box{5 dollars}").value());
    }

    @Test
    void strictComparesNumbersByValue() {
        assertEquals(1.0, strict.score(Example.freeText("4", "q", "1000"), "\\box{1,000}").value());
        assertEquals(0.0, strict.score(Example.freeText("5", "q", "15"), "\\box{1.5}").value());
        assertEquals(1.0, strict.score(Example.freeText("6", "q", "0.5"), "\\box{1/2}").value());
        assertEquals(1.0, strict.score(Example.freeText("6", "q", "0.5"), "\\boxed{\\frac{1}{2}}").value());
        assertEquals(1.0, strict.score(Example.freeText("7", "q", "5"), "\\box{5 dollars}").value());
        assertEquals(1.0, strict.score(Example.freeText("8", "q", "$18"), "The answer is 18.").value());
        assertEquals(1.0, strict.score(Example.freeText("9", "q", "0.50"), "\\box{.5}").value());
        assertEquals(0.0, strict.score(Example.freeText("10", "q", "5 km"), "\\box{5 cm}").value());
        assertEquals(1.0, strict.score(Example.freeText("11", "q", "7"), "\\box{\\text{7}}").value());
        // non-numeric answers still use the normalised text comparison
        assertEquals(1.0, strict.score(Example.freeText("12", "q", "The Nile"), "\\box{nile}").value());
    }
}
