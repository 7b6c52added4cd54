package io.mocoj.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Scoring against the real MoCo data files (skipped when they are absent). */
class SharedDataScoringTest {

    @Test
    void handWrittenMbppSolutionsPassTheDatasetTests() {
        var mbpp = SharedData.task("mbpp");
        assumeTrue(mbpp.isPresent(), "shared MoCo data (mbpp.json) not found: set -Dmocoj.shared.data");
        List<Example> examples = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (JsonNode item : mbpp.get().get("test")) {
            String id = item.get("id").asText();
            if (MbppSolutions.BY_ID.containsKey(id)) {
                examples.add(new Example(id, item.get("input").asText(), Map.of(), List.of(), Map.of("test", item.get("test").asText())));
                responses.add("Here is the function:\n```python\n" + MbppSolutions.BY_ID.get(id) + "```\n");
            }
        }
        assertEquals(MbppSolutions.BY_ID.size(), examples.size(), "all hand-solved ids are in mbpp.json");
        CodingEvaluator coding = Evaluators.coding(CodeSandbox.builder().maxParallel(2).build());
        List<Score> scores = coding.scoreAll(examples, responses);
        for (int i = 0; i < scores.size(); i++) assertEquals(1.0, scores.get(i).value(), examples.get(i).id() + ": " + scores.get(i).detail());
        // an off-by-one variant of every solution fails
        List<String> broken = responses.stream().map(r -> r.replace("return ", "return 1 + 0 * 0 or ")).toList();
        for (Score s : coding.scoreAll(examples, broken)) assertEquals(0.0, s.value(), s.detail());
    }

    @Test
    void boxedGoldAnswersOfRealExactMatchFilesScoreOne() {
        int checked = 0;
        for (String name : List.of("gsm8k", "math", "bbh", "theoremqa", "pubmedqa", "tablemwp_free_text")) {
            var task = SharedData.task(name);
            assumeTrue(task.isPresent(), "shared MoCo data (" + name + ".json) not found");
            int compatibleMisses = 0;
            for (JsonNode item : task.get().get("test")) {
                JsonNode out = item.get("output");
                String gold = out.isTextual() ? out.asText() : out.toString();
                Example e = Example.freeText(item.get("id").asText(), item.get("input").asText(), gold);
                String response = "Working it out...\nSo the result is \\boxed{" + gold + "}";
                assertEquals(1.0, Evaluators.strictExactMatch().score(e, response).value(), name + " " + e.id() + ": " + gold);
                double compatible = Evaluators.exactMatch().score(e, response).value();
                // compatible extraction stops at the first '}', so only brace-free answers survive boxing
                if (!gold.contains("}")) assertEquals(1.0, compatible, name + " " + e.id() + ": " + gold);
                else if (compatible == 0) compatibleMisses++;
                checked++;
            }
            if (name.equals("math")) assertTrue(compatibleMisses > 0, "some math answers contain braces");
        }
        assertTrue(checked > 3000, "checked " + checked);
    }

    @Test
    void goldLettersOfARealMultipleChoiceFileScoreOne() {
        var arc = SharedData.task("arc_challenge");
        assumeTrue(arc.isPresent(), "shared MoCo data (arc_challenge.json) not found");
        MultipleChoiceEvaluator mc = Evaluators.multipleChoice();
        MultipleChoiceEvaluator strict = Evaluators.strictMultipleChoice();
        int n = 0;
        int numericKeys = 0;
        for (JsonNode item : arc.get().get("test")) {
            Map<String, String> choices = new LinkedHashMap<>();
            item.get("choices").fields().forEachRemaining(e -> choices.put(e.getKey(), e.getValue().asText()));
            Example e = Example.multipleChoice(item.get("id").asText(), item.get("question").asText(), choices, item.get("answer").asText());
            // 22 items key their options 1..4; the prompt letters them by position, so the gold "2" is option B
            int position = new ArrayList<>(choices.keySet()).indexOf(e.answer());
            String letter = String.valueOf((char) ('A' + position));
            boolean lettered = letter.equals(e.answer());
            if (!lettered) numericKeys++;
            // compatible mode compares the file's answer with the letter, as the toolkit does
            assertEquals(lettered ? 1.0 : 0.0, mc.score(e, letter).value(), "id " + e.id());
            assertEquals(1.0, strict.score(e, letter).value(), "id " + e.id());
            assertEquals(1.0, strict.score(e, letter + ") " + e.choices().get(e.answer())).value(), "id " + e.id());
            n++;
        }
        assertEquals(1172, n);
        assertEquals(22, numericKeys);
    }

    @Test
    void loadedItemsWithNonLetterKeysScoreZeroCompatiblyAndOneStrictly() {
        var dir = SharedData.folder();
        assumeTrue(dir.isPresent() && java.nio.file.Files.isRegularFile(dir.get().resolve("tablemwp_multiple_choice.json")), "shared MoCo data not found");
        var loader = io.mocoj.datasets.DatasetLoader.builder().dataDir(dir.get()).offline(true).build();
        // the counts: arc_challenge 22 of 1172 test items, tablemwp_multiple_choice 15 of 125
        for (var c : List.of(Map.entry("arc_challenge", 22), Map.entry("tablemwp_multiple_choice", 15))) {
            var task = loader.load(c.getKey());
            int zero = 0;
            for (Example e : task.test()) {
                // the gold letter by position, which is what a perfect model answers to MoCo's prompt
                double compatible = Evaluators.multipleChoice().score(e, e.answer()).value();
                assertEquals(1.0, Evaluators.strictMultipleChoice().score(e, e.answer()).value(), c.getKey() + " " + e.id());
                if (compatible == 0) {
                    zero++;
                    assertTrue(e.fields().containsKey(Example.ANSWER_KEY_IN_FILE), e.id());
                }
            }
            assertEquals(c.getValue(), zero, c.getKey());
        }
    }

    @Test
    void popqaFromTheLoaderKeepsItsListTextAndCustomPopqaReadsItToo() {
        var dir = SharedData.folder();
        assumeTrue(dir.isPresent() && java.nio.file.Files.isRegularFile(dir.get().resolve("popqa.json")), "shared MoCo data not found");
        var loaded = io.mocoj.datasets.DatasetLoader.builder().dataDir(dir.get()).offline(true).build().load("popqa");
        var custom = io.mocoj.datasets.Datasets.custom("popqa").fromJson(dir.get().resolve("popqa.json"));
        assertEquals(loaded.test(), custom.test(), "Datasets.custom(\"popqa\") reads the list in a string as the loader does");
        int split = 0;
        for (Example e : loaded.test()) {
            List<String> compat = Evaluators.f1Match().references(e);
            List<String> strict = Evaluators.strictF1Match().references(e);
            assertEquals(e.answers(), strict, e.id());
            if (!compat.equals(strict)) split++;
            // a perfect answer scores 1 in strict mode, and in compatible mode whenever the reference has no comma
            String first = e.answers().get(0);
            assertEquals(1.0, Evaluators.strictF1Match().score(e, "\\box{" + first + "}").value(), 1e-12, e.id());
        }
        assertTrue(split > 0, "some popqa references contain commas or quotes");
    }
}
