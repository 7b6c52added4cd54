package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ifeval cases written from the rules: MoCo's ifeval_eval.py checkers (compatible) and the official IFEval
 * instruction definitions (strict), including each place where they disagree.
 */
class IfEvalEvaluatorTest {
    private final IfEvalEvaluator moco = Evaluators.ifeval();
    private final IfEvalEvaluator strict = Evaluators.ifeval(MatchMode.STRICT);

    private static Example item(String id, Map<String, Object> kwargs) {
        return items(List.of(id), List.of(kwargs));
    }

    private static Example items(List<String> ids, List<Map<String, Object>> kwargs) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("instruction_id_list", ids);
        f.put("kwargs", new ArrayList<>(kwargs));
        return new Example("1", "prompt", Map.of(), List.of(), f);
    }

    private double m(Example e, String r) { return moco.score(e, r).value(); }

    private double s(Example e, String r) { return strict.score(e, r).value(); }

    @Test
    void promptIsTheInputAndScoreIsTheShareFollowed() {
        Example e = items(List.of("punctuation:no_comma", "change_case:english_lowercase", "detectable_content:postscript"),
                List.of(Map.of(), Map.of(), Map.of("postscript_marker", "P.S.")));
        assertEquals("prompt", moco.prompt(e));
        // no comma: yes; all lower case: no (capital H); P.S.: yes
        assertEquals(2.0 / 3, m(e, "Hello there\nP.S. bye"), 1e-12);
        assertEquals("Hello there\nP.S. bye", moco.score(e, "Hello there\nP.S. bye").extracted());
    }

    @Test
    void paragraphsAreBlankLineSeparatedForMocoAndStarSeparatedForTheOfficialRule() {
        Example e = item("length_constraints:number_paragraphs", Map.of("num_paragraphs", 2));
        String blankLines = "First paragraph here.\n\nSecond paragraph here.";
        String stars = "First paragraph here.\n***\nSecond paragraph here.";
        assertEquals(1.0, m(e, blankLines));
        assertEquals(0.0, m(e, stars), "MoCo sees one paragraph: *** is not a blank line");
        assertEquals(0.0, s(e, blankLines), "officially paragraphs are separated by ***");
        assertEquals(1.0, s(e, stars));
        assertEquals(0.0, s(e, "One.\n***\n\n***\nTwo."), "an empty paragraph in the middle fails officially");
    }

    @Test
    void aMarkdownHeadingIsATitleForMocoOnlyDoubleAngleBracketsOfficially() {
        Example e = item("detectable_format:title", Map.of());
        assertEquals(1.0, m(e, "# My Poem\nRoses are red."));
        assertEquals(0.0, s(e, "# My Poem\nRoses are red."));
        assertEquals(0.0, m(e, "<<My Poem>>\nRoses are red."));
        assertEquals(1.0, s(e, "<<My Poem>>\nRoses are red."));
        assertEquals(0.0, s(e, "<< >> nothing inside"));
    }

    @Test
    void capitalWordsAreCapitalisedForMocoAndAllCapsOfficially() {
        Example e = item("change_case:capital_word_frequency", Map.of("capital_relation", "at least", "capital_frequency", 3));
        String capitalised = "Alice Bob Carol went home.";
        String allCaps = "ALICE BOB CAROL went home.";
        assertEquals(1.0, m(e, capitalised), "three words start with a capital");
        assertEquals(0.0, s(e, capitalised), "none is all capitals");
        assertEquals(1.0, m(e, allCaps));
        assertEquals(1.0, s(e, allCaps));
    }

    @Test
    void bulletListsAreAtLeastNForMocoAndExactlyNOfficially() {
        Example e = item("detectable_format:number_bullet_lists", Map.of("num_bullets", 2));
        String three = "* one\n* two\n* three";
        assertEquals(1.0, m(e, three));
        assertEquals(0.0, s(e, three));
        assertEquals(1.0, s(e, "* one\n- two"));
    }

    @Test
    void unknownIdsPassForMocoAndFailOfficially() {
        Example e = items(List.of("detectable_format:made_up", "punctuation:no_comma"), List.of(Map.of(), Map.of()));
        assertEquals(1.0, m(e, "no comma here"));
        assertTrue(moco.score(e, "no comma here").detail().contains("unknown ids counted as followed: detectable_format:made_up"));
        assertEquals(0.5, s(e, "no comma here"));
    }

    @Test
    void aCheckerThatCannotReadItsKwargsCountsAsNotFollowedForMoco() {
        Example e = item("length_constraints:number_words", Map.of("relation", "at least"));
        assertEquals(0.0, m(e, "plenty of words in this response"));
    }

    @Test
    void mocoRelationsFallBackToAtLeastAndUseSubstringCounts() {
        Example freq = item("keywords:frequency", Map.of("keyword", "cat", "relation", "at least", "frequency", 2));
        // "concatenate" contains "cat": MoCo counts substrings
        assertEquals(1.0, m(freq, "A cat and concatenate."));
        assertEquals(1.0, s(freq, "A cat and concatenate."), "the official rule is re.findall of the keyword, also substrings");
        Example words = item("length_constraints:number_words", Map.of("relation", "less than", "num_words", 4));
        assertEquals(1.0, m(words, "one two three"));
        assertEquals(0.0, m(words, "one two three four"));
        // the official word count is \w+ runs: "don't" is two words
        assertEquals(0.0, s(words, "I don't know"));
        assertEquals(1.0, m(words, "I don't know"));
    }

    @Test
    void forbiddenWordsAreSubstringsForMocoAndWholeWordsOfficially() {
        Example e = item("keywords:forbidden_words", Map.of("forbidden_words", List.of("art")));
        assertEquals(0.0, m(e, "A party is fun."), "'art' is inside 'party'");
        assertEquals(1.0, s(e, "A party is fun."));
        assertEquals(0.0, s(e, "Modern Art is fun."));
    }

    @Test
    void repeatPromptAnywhereForMocoAtTheStartOfficially() {
        Example e = item("combination:repeat_prompt", Map.of("prompt_to_repeat", "Write a poem."));
        assertEquals(1.0, m(e, "Sure. Write a poem. Here it is."));
        assertEquals(0.0, s(e, "Sure. Write a poem. Here it is."));
        assertEquals(1.0, s(e, "write a poem. Here it is."));
    }

    @Test
    void quotationEndPhraseAndTwoResponses() {
        Example q = item("startend:quotation", Map.of());
        assertEquals(1.0, m(q, "\""), "MoCo: one quote both starts and ends the text");
        assertEquals(0.0, s(q, "\""), "officially the text needs more than one character");
        Example end = item("startend:end_checker", Map.of("end_phrase", "Is there anything else?"));
        assertEquals(0.0, m(end, "Done. \"is there anything else?\""));
        assertEquals(1.0, s(end, "Done. \"is there anything else?\""), "officially quotes and case are ignored");
        Example two = item("combination:two_responses", Map.of());
        assertEquals(1.0, m(two, "same******same"));
        assertEquals(0.0, s(two, "same******same"), "officially the two responses must differ");
        assertEquals(1.0, s(two, "first******second"));
    }

    @Test
    void jsonFormatAndHighlights() {
        Example j = item("detectable_format:json_format", Map.of());
        assertEquals(1.0, m(j, "```json\n{\"a\": 1}\n```"));
        assertEquals(1.0, s(j, "```JSON\n{\"a\": 1}\n```"));
        assertEquals(0.0, m(j, "```JSON\n{\"a\": 1}\n```"), "MoCo strips only a lower-case json fence");
        assertEquals(0.0, m(j, "{\"a\": 1} trailing"));
        Example h = item("detectable_format:number_highlighted_sections", Map.of("num_highlights", 2));
        assertEquals(0.0, m(h, "*one* and **two**"), "MoCo ignores **bold**");
        assertEquals(1.0, s(h, "*one* and **two**"), "officially **bold** counts too");
    }

    @Test
    void responseLanguageIsDetected() {
        Example de = item("language:response_language", Map.of("language", "de"));
        String german = "Das Wetter ist heute sehr schön, und wir gehen am Nachmittag mit den Kindern in den Park spazieren.";
        String english = "The weather is very nice today, and we are going for a walk in the park with the children this afternoon.";
        assertEquals(1.0, m(de, german));
        assertEquals(0.0, m(de, english));
        assertEquals(1.0, s(de, german));
        assertEquals(0.0, s(de, english));
        Example kn = item("language:response_language", Map.of("language", "kn"));
        assertEquals(1.0, s(kn, "ನಮಸ್ಕಾರ, ಇಂದು ಹವಾಮಾನ ತುಂಬಾ ಚೆನ್ನಾಗಿದೆ."), "Kannada by its script");
        Score ne = strict.score(item("language:response_language", Map.of("language", "ne")), "नमस्ते");
        assertTrue(ne.failed(), "Nepali cannot be detected: the score says so instead of guessing");
    }

    @Test
    void englishCaseNeedsEnglishOfficially() {
        Example upper = item("change_case:english_capital", Map.of());
        String germanCaps = "DAS WETTER IST HEUTE SEHR SCHÖN, UND WIR GEHEN AM NACHMITTAG MIT DEN KINDERN IN DEN PARK.";
        assertEquals(1.0, m(upper, germanCaps), "MoCo checks the case only");
        assertEquals(0.0, s(upper, germanCaps), "officially the text must also be English");
        assertEquals(1.0, s(upper, "THE WEATHER IS VERY NICE TODAY, AND WE ARE GOING FOR A WALK IN THE PARK."));
    }

    @Test
    void looseAcceptsTheResponseWithoutItsFirstLine() {
        Example e = item("change_case:english_lowercase", Map.of());
        String r = "Sure! Here it is:\nthe weather is very nice today, and we are going for a walk in the park with the children.";
        Score sc = strict.score(e, r);
        assertEquals(0.0, sc.value());
        assertTrue(sc.detail().contains("loose 1/1"), sc.detail());
        var summary = strict.summarize(List.of(e, e), List.of(r, "ALL CAPS HERE, SO NOT LOWER CASE AT ALL, IN ENGLISH."));
        assertEquals(2, summary.prompts());
        assertEquals(0.0, summary.promptStrict());
        assertEquals(0.5, summary.promptLoose());
        assertEquals(0.5, summary.instructionLoose());
    }

    @Test
    void summaryCountsPromptAndInstructionLevels() {
        Example two = items(List.of("punctuation:no_comma", "startend:quotation"), List.of(Map.of(), Map.of()));
        var sum = strict.summarize(List.of(two, two, two), List.of("\"no commas\"", "\"with, a comma\"", "plain, text"));
        assertEquals(1.0 / 3, sum.promptStrict(), 1e-12);
        assertEquals(3.0 / 6, sum.instructionStrict(), 1e-12);
    }

    @Test
    void everyInstructionOfTheSharedIfevalFileHasACheckerInBothModes() throws Exception {
        var dir = SharedData.folder();
        assumeTrue(dir.isPresent(), "shared MoCo data not found");
        var file = dir.get().resolve("newer").resolve("ifeval.json");
        assumeTrue(java.nio.file.Files.isRegularFile(file), "newer/ifeval.json not found");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        ObjectMapper om = new ObjectMapper();
        int checked = 0;
        for (String split : List.of("dev", "test")) {
            for (JsonNode it : root.get(split)) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("instruction_id_list", om.convertValue(it.get("instruction_id_list"), List.class));
                f.put("kwargs", om.convertValue(it.get("kwargs"), List.class));
                Example e = new Example(it.get("id").asText(), it.get("input").asText(), Map.of(), List.of(), f);
                Score c = moco.score(e, "A short reply.");
                assertFalse(c.detail().contains("unknown ids"), e.id() + ": " + c.detail());
                Score st = strict.score(e, "A short reply.");
                if (!st.failed()) assertFalse(st.detail().contains("unknown instruction id"), e.id() + ": " + st.detail());
                checked++;
            }
        }
        assertEquals(500, checked);
    }
}
