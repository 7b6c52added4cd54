package io.mocoj.eval;

import io.mocoj.eval.internal.TextNormalizer;
import io.mocoj.task.Example;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class F1AndNormalisationTest {

    @Test
    void normalisationLowerCasesDropsPunctuationArticlesAndExtraSpaces() {
        assertEquals("cat sat on mat", TextNormalizer.normalize("The cat, sat   on a MAT!"));
        assertEquals("answer", TextNormalizer.normalize("An answer."));
        // articles only as whole words
        assertEquals("theory another", TextNormalizer.normalize("Theory another"));
        // punctuation is removed before articles: "a-b" becomes "ab", not an article
        assertEquals("ab", TextNormalizer.normalize("a-b"));
        assertEquals("", TextNormalizer.normalize("the a an ..."));
        // non-ASCII punctuation is kept
        assertEquals("«hi»", TextNormalizer.normalize("«Hi»"));
    }

    @Test
    void tokenF1ByHand() {
        // pred tokens [new, york, city], ref [york, city]: common 2, P=2/3, R=1, F1=0.8
        assertEquals(0.8, TextNormalizer.tokenF1("New York City", "York city"), 1e-12);
        // repeated tokens count with multiplicity: pred [a1 a1 b] vs ref [a1 b b]: common 2, P=R=2/3
        assertEquals(2.0 / 3, TextNormalizer.tokenF1("x x y", "x y y"), 1e-12);
        assertEquals(1.0, TextNormalizer.tokenF1("The", "a"), "both normalise to empty");
        assertEquals(0.0, TextNormalizer.tokenF1("", "Paris"));
        assertEquals(0.0, TextNormalizer.tokenF1("London", "Paris"));
    }

    @Test
    void popqaTakesBestOverReferenceList() {
        Example e = new Example("1", "Who?", Map.of(), List.of("George Washington", "Washington"), Map.of());
        var f1 = Evaluators.f1Match();
        // vs "George Washington": P=1/2,R=1/2 -> 0.5 ; vs "Washington": P=1/2,R=1 -> 2/3
        assertEquals(2.0 / 3, f1.score(e, "\\box{Washington Irving}").value(), 1e-12);
        assertEquals(1.0, f1.score(e, "The answer is george washington.").value(), 1e-12);
    }

    @Test
    void f1PromptIsTheBoxPrompt() {
        Example e = Example.freeText("1", "Who wrote Hamlet?\n", "Shakespeare");
        assertEquals("Who wrote Hamlet?\n\nPlease provide the final, direct answer wrapped exactly as \\box{ANSWER}",
                Evaluators.f1Match().prompt(e));
    }
}
