package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptsTest {
    private static final List<String> NAMES = List.of("llama-3-8b", "qwen-2.5-7b", "mistral-7b");

    @Test
    void readsANumberAsA1BasedIndex() {
        assertEquals(1, Prompts.parseModelChoice("2", NAMES));
        assertEquals(0, Prompts.parseModelChoice("Model 1.", NAMES));
        assertEquals(2, Prompts.parseModelChoice("I would pick model #3 for this.", NAMES));
    }

    @Test
    void readsAModelNameAndIgnoresDigitsInsideIt() {
        assertEquals(0, Prompts.parseModelChoice("llama-3-8b", NAMES), "the 3 inside the name is not model 3");
        assertEquals(1, Prompts.parseModelChoice("Best: QWEN-2.5-7B", NAMES));
        assertEquals(2, Prompts.parseModelChoice("mistral-7b (model 3)", NAMES));
    }

    @Test
    void earliestMentionWins() {
        assertEquals(2, Prompts.parseModelChoice("3, not llama-3-8b", NAMES));
        assertEquals(0, Prompts.parseModelChoice("llama-3-8b rather than 2", NAMES));
    }

    @Test
    void namesMatchOnlyAsWholeWords() {
        assertEquals(-1, Prompts.parseModelChoice("No idea, sorry.", List.of("beta", "r")), "the r in 'sorry' is not model r");
        assertEquals(1, Prompts.parseModelChoice("ask r.", List.of("beta", "r")));
    }

    @Test
    void longestNameWinsWhenNamesOverlap() {
        assertEquals(1, Prompts.parseModelChoice("use gpt-4o-mini", List.of("gpt-4o", "gpt-4o-mini")));
    }

    @Test
    void noModelNamedGivesMinusOne() {
        assertEquals(-1, Prompts.parseModelChoice("I am not sure.", NAMES));
        assertEquals(-1, Prompts.parseModelChoice("Model 4", NAMES), "out of range");
        assertEquals(-1, Prompts.parseModelChoice("0", NAMES), "numbers are 1-based");
        assertEquals(-1, Prompts.parseModelChoice("2.5", NAMES), "not a whole number");
    }

    @Test
    void routingPromptListsEveryModelWithNumberNameAndDescription() {
        String p = Prompts.routing("What is 2+2?", List.of("a", "b"), List.of("math", "law"));
        assertTrue(p.contains("What is 2+2?"));
        assertTrue(p.contains("1. a: math\n2. b: law\n"), p);
        assertTrue(p.endsWith("Reply with the model's number only."));
        assertThrows(IllegalArgumentException.class, () -> Prompts.routing("q", List.of("a"), List.of()));
    }

    @Test
    void yesNoReplies() {
        assertEquals(Prompts.YesNo.YES, Prompts.parseYesNo("Yes."));
        assertEquals(Prompts.YesNo.YES, Prompts.parseYesNo("I am confident."));
        assertEquals(Prompts.YesNo.NO, Prompts.parseYesNo("No, I am not sure."));
        assertEquals(Prompts.YesNo.NO, Prompts.parseYesNo("I'm unconfident about it"));
        assertEquals(Prompts.YesNo.NO, Prompts.parseYesNo("I am not confident"));
        assertEquals(Prompts.YesNo.UNCLEAR, Prompts.parseYesNo("Perhaps."));
        assertEquals(Prompts.YesNo.UNCLEAR, Prompts.parseYesNo("Nobody knows"), "whole words only");
    }
}
