package io.mocoj.datasets;

import io.mocoj.task.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Each way a file can be wrong gives one error naming the file, split, index and field, and what was expected. */
class MalformedInputTest {
    @TempDir Path dir;

    private DatasetLoader loader() {
        return DatasetLoader.builder().dataDir(dir).cacheDir(dir.resolve("cache")).offline(true).memoryCache(false).build();
    }

    private String write(String name, String json) throws Exception {
        Files.writeString(dir.resolve(name + ".json"), json, StandardCharsets.UTF_8);
        return name;
    }

    private DatasetFormatException fails(String name, String json) throws Exception {
        write(name, json);
        return assertThrows(DatasetFormatException.class, () -> loader().load(name));
    }

    /** A gsm8k-shaped file whose test split has {@code n} good examples followed by {@code last}. */
    private static String gsm8kWith(int n, String last) {
        StringBuilder sb = new StringBuilder("{\"dataset\": \"gsm8k\", \"task_type\": \"exact_match\", \"dev\": [], \"test\": [");
        for (int i = 0; i < n; i++) sb.append("{\"id\": ").append(i).append(", \"input\": \"q").append(i).append("\", \"output\": \"").append(i).append("\"},");
        return sb.append(last).append("]}").toString();
    }

    private static String mc(String example) {
        return "{\"name\": \"mmlu_redux\", \"task_type\": \"multiple_choice\", \"dev\": [" + example + "], \"test\": []}";
    }

    @Test
    void outputObjectIsReportedWithFileSplitIndexAndField() throws Exception {
        var e = fails("gsm8k", gsm8kWith(17, "{\"id\": 17, \"input\": \"q\", \"output\": {\"x\": 1}}"));
        assertEquals("gsm8k.json: test[17].output: expected a string, found an object", e.getMessage());
        assertEquals("gsm8k.json", e.file());
        assertEquals("test", e.split().orElseThrow());
        assertEquals(17, e.index());
        assertEquals("output", e.field().orElseThrow());
    }

    @Test
    void goodFileLoads() throws Exception {
        write("gsm8k", gsm8kWith(3, "{\"id\": \"x\", \"input\": \"q\", \"output\": \"7\", \"domain\": \"d\", \"n\": 2.5, \"ok\": true, \"tags\": [\"a\", 1], \"m\": {\"k\": null}}"));
        var t = loader().load("gsm8k");
        assertEquals(4, t.test().size());
        var e = t.test().get(3);
        assertEquals("x", e.id());
        assertEquals(List.of("7"), e.answers());
        assertEquals("d", e.fields().get("domain"));
        assertEquals(2.5, e.fields().get("n"));
        assertEquals(Boolean.TRUE, e.fields().get("ok"));
        assertEquals(List.of("a", 1L), e.fields().get("tags"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", null);
        assertEquals(m, e.fields().get("m"));
        assertEquals("0", t.test().get(0).id());
    }

    @Test
    void topLevelMustBeAnObject() throws Exception {
        assertEquals("gsm8k.json: expected a JSON object {\"name\", \"task_type\", \"dev\", \"test\"} at the top level, found an array",
                fails("gsm8k", "[1, 2]").getMessage());
        assertEquals("gsm8k.json: expected a JSON object {\"name\", \"task_type\", \"dev\", \"test\"} at the top level, found the end of the file",
                fails("gsm8k", "").getMessage());
    }

    @Test
    void nameAndTaskTypeChecks() throws Exception {
        assertEquals("gsm8k.json: name: expected a string, found an integer",
                fails("gsm8k", "{\"name\": 3, \"dev\": [], \"test\": []}").getMessage());
        var unknown = fails("gsm8k", "{\"task_type\": \"exactmatch\", \"dev\": [], \"test\": []}");
        assertTrue(unknown.getMessage().startsWith("gsm8k.json: task_type: unknown task_type 'exactmatch'; accepted: multiple_choice, exact_match"), unknown.getMessage());
        assertEquals("gsm8k.json: task_type: expected \"exact_match\" for this task, found \"multiple_choice\"",
                fails("gsm8k", "{\"task_type\": \"multiple_choice\", \"dev\": [], \"test\": []}").getMessage());
        assertEquals("gsm8k.json: task_type: expected a string, found an array",
                fails("gsm8k", "{\"task_type\": [], \"dev\": [], \"test\": []}").getMessage());
    }

    @Test
    void splitShapeChecks() throws Exception {
        assertEquals("gsm8k.json: dev: expected an array of examples, found a string",
                fails("gsm8k", "{\"dev\": \"none\", \"test\": []}").getMessage());
        assertEquals("gsm8k.json: test[1]: expected an object, found an integer",
                fails("gsm8k", "{\"dev\": [], \"test\": [{\"input\": \"a\", \"output\": \"b\"}, 5]}").getMessage());
        assertEquals("gsm8k.json: dev: appears twice",
                fails("gsm8k", "{\"dev\": [], \"test\": [], \"dev\": []}").getMessage());
        assertEquals("gsm8k.json: has neither a \"dev\" nor a \"test\" array of examples",
                fails("gsm8k", "{\"name\": \"gsm8k\"}").getMessage());
    }

    @Test
    void syntaxErrorsNameTheExampleAndPosition() throws Exception {
        var e = fails("gsm8k", "{\"dev\": [], \"test\": [{\"input\": \"a\", \"output\": \"b\"},\n {\"input\": \"a\" \"output\": \"b\"}]}");
        assertTrue(e.getMessage().startsWith("gsm8k.json: test[1]: invalid JSON at line 2, column "), e.getMessage());
        assertEquals(1, e.index());
        var truncated = fails("gsm8k", gsm8kWith(30, "{}").substring(0, 400));
        assertTrue(truncated.getMessage().startsWith("gsm8k.json: test["), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("invalid JSON"), truncated.getMessage());
        assertEquals("gsm8k.json: unexpected content after the top-level object",
                fails("gsm8k", "{\"dev\": [], \"test\": []} {}").getMessage());
    }

    @Test
    void freeTextFieldChecks() throws Exception {
        assertEquals("gsm8k.json: test[0].input: missing (expected a string; if your records name it differently, use FieldMapping.input(...))",
                fails("gsm8k", gsm8kWith(0, "{\"id\": 1, \"output\": \"b\"}")).getMessage());
        assertEquals("gsm8k.json: test[2].input: expected a string, found null",
                fails("gsm8k", gsm8kWith(2, "{\"id\": 1, \"input\": null, \"output\": \"b\"}")).getMessage());
        assertEquals("gsm8k.json: test[0].output: missing (a exact_match example needs its reference answer here; map another key with FieldMapping.answer(...))",
                fails("gsm8k", gsm8kWith(0, "{\"id\": 1, \"input\": \"a\"}")).getMessage());
        assertEquals("gsm8k.json: test[0].id: expected a string or an integer, found a number",
                fails("gsm8k", gsm8kWith(0, "{\"id\": 1.5, \"input\": \"a\", \"output\": \"b\"}")).getMessage());
        assertEquals("gsm8k.json: test[0].output[1]: expected a string, found an object",
                fails("gsm8k", gsm8kWith(0, "{\"id\": 1, \"input\": \"a\", \"output\": [\"x\", {}]}")).getMessage());
        assertEquals("humaneval.json: dev[0].test: missing (expected a string)",
                fails("humaneval", "{\"task_type\": \"coding\", \"dev\": [{\"id\": \"h\", \"input\": \"def f(): pass\"}], \"test\": []}").getMessage());
    }

    @Test
    void popqaListInStringChecks() throws Exception {
        String head = "{\"name\": \"popqa\", \"task_type\": \"f1_match\", \"dev\": [], \"test\": [";
        var e = fails("popqa", head + "{\"id\": 1, \"input\": \"q\", \"output\": \"[\\\"a\\\", {}]\"}]}");
        assertTrue(e.getMessage().startsWith("popqa.json: test[0].output: expected a string holding a JSON list of strings"), e.getMessage());
        var e2 = fails("popqa", head + "{\"id\": 1, \"input\": \"q\", \"output\": \"plain\"}]}");
        assertTrue(e2.getMessage().endsWith("found \"plain\""), e2.getMessage());
        write("popqa", head + "{\"id\": 1, \"input\": \"q\", \"output\": \"[\\\"Paris\\\", \\\"City of Light\\\"]\"}]}");
        assertEquals(List.of("Paris", "City of Light"), loader().load("popqa").test().get(0).answers());
    }

    @Test
    void multipleChoiceChecks() throws Exception {
        assertEquals("mmlu_redux.json: dev[0].question: missing (expected a string; if your records name it differently, use FieldMapping.input(...))",
                fails("mmlu_redux", mc("{\"id\": 1, \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"A\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].choices: missing (expected an object mapping letters to option texts)",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"answer\": \"A\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].choices: expected an object mapping letters to option texts, found a string",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": \"A\", \"answer\": \"A\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].choices.B: expected a string (the option text), found an array",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": {\"A\": \"x\", \"B\": []}, \"answer\": \"A\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].choices: expected at least 2 options, found 1",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": {\"A\": \"x\"}, \"answer\": \"A\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].answer: expected one of the choice keys [A, B], found \"C\"",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"C\"}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].answer: missing (expected one of the choice keys [A, B])",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}}")).getMessage());
        assertEquals("mmlu_redux.json: dev[0].answer: expected a string naming one of the choice keys [A, B], found an array",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": [\"A\"]}")).getMessage());
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 27; i++) many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        assertEquals("mmlu_redux.json: dev[0].choices: expected at most 26 options",
                fails("mmlu_redux", mc("{\"id\": 1, \"question\": \"q\", \"choices\": " + many + "}, \"answer\": \"k0\"}")).getMessage());
    }

    @Test
    void jsonlErrorsNameTheRecord() throws Exception {
        Path f = dir.resolve("quiz.jsonl");
        Files.writeString(f, "{\"input\": \"a\", \"output\": \"b\"}\n\n{\"input\": \"c\", \"output\": 3}\n[1]\n");
        var e = assertThrows(DatasetFormatException.class, () -> Datasets.custom("quiz").type(TaskType.EXACT_MATCH).fromJsonl(f));
        assertEquals("quiz.jsonl: test[2]: expected one JSON object per line, found an array at line 4", e.getMessage());
        Files.writeString(f, "{\"input\": \"a\", \"output\": \"b\"}\n{\"input\": \"c\" \"output\": 3}\n");
        var e2 = assertThrows(DatasetFormatException.class, () -> Datasets.custom("quiz").type(TaskType.EXACT_MATCH).fromJsonl(f));
        assertTrue(e2.getMessage().startsWith("quiz.jsonl: test[1]: invalid JSON at line 2"), e2.getMessage());
        Files.writeString(f, "{\"input\": \"a\", \"output\": {}}\n");
        assertEquals("quiz.jsonl: test[0].output: expected a string, found an object",
                assertThrows(DatasetFormatException.class, () -> Datasets.custom("quiz").type(TaskType.EXACT_MATCH).fromJsonl(f)).getMessage());
    }

    @Test
    void customDataNeedsAType() throws Exception {
        Path f = dir.resolve("mine.json");
        Files.writeString(f, "{\"dev\": [{\"input\": \"a\", \"output\": \"b\"}], \"test\": []}");
        assertEquals("mine.json: task_type: missing: add \"task_type\" to the file or give the type when loading",
                assertThrows(DatasetFormatException.class, () -> Datasets.custom("mine").fromJson(f)).getMessage());
        var ise = assertThrows(IllegalStateException.class, () -> Datasets.custom("mine").fromJsonl(f));
        assertTrue(ise.getMessage().contains("call .type(TaskType."), ise.getMessage());
        var missing = assertThrows(DatasetException.class, () -> Datasets.custom("mine").type(TaskType.EXACT_MATCH).fromJson(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().startsWith("dataset file not found: "), missing.getMessage());
    }

    @Test
    void inMemoryRecordErrorsNameSplitAndIndex() {
        List<Map<String, ?>> test = new ArrayList<>();
        test.add(Map.of("question", "q", "choices", List.of("x", "y"), "answer", "B"));
        test.add(Map.of("question", "q", "choices", List.of("x", "y"), "answer", 7));
        var e = assertThrows(DatasetFormatException.class,
                () -> Datasets.custom("mem").type(TaskType.MULTIPLE_CHOICE).fromRecords(List.of(), test));
        assertEquals("mem (in memory): test[1].answer: expected one of the choice keys [A, B], found \"7\"", e.getMessage());
    }

    @Test
    void unknownTaskNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> loader().load("gsm9k"));
        assertTrue(e.getMessage().startsWith("unknown dataset 'gsm9k' (did you mean 'gsm8k'?); known datasets: agieval, agieval_tiny,"), e.getMessage());
    }
}
