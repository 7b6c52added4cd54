package io.mocoj.datasets;

import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Bringing your own data: MoCo JSON, JSON Lines and in-memory records, with field mappings. */
class CustomDatasetTest {
    @TempDir Path dir;

    @Test
    void mocoFileTakesItsTypeFromTheFile() throws Exception {
        Path f = dir.resolve("quiz.json");
        Files.writeString(f, """
                {"name": "something_else", "task_type": "multiple_choice",
                 "dev": [{"id": 1, "question": "2+2?", "choices": {"A": "3", "B": "4"}, "answer": "B", "domain": "arith"}],
                 "test": [{"id": "t1", "question": "Capital of France?", "choices": {"A": "Paris", "B": "Rome", "C": "Oslo"}, "answer": "A"}]}
                """);
        Task t = Datasets.custom("quiz").description("my quiz").fromJson(f);
        assertEquals("quiz", t.name());
        assertEquals("my quiz", t.description());
        assertEquals(TaskType.MULTIPLE_CHOICE, t.type());
        Example d = t.dev().get(0);
        assertEquals(new Example("1", "2+2?", Map.of("A", "3", "B", "4"), List.of("B"), Map.of("domain", "arith")), d);
        assertEquals("t1", t.test().get(0).id());
        assertEquals(List.of("A", "B", "C"), List.copyOf(t.test().get(0).choices().keySet()));
    }

    @Test
    void explicitTypeOverridesTheFileAndWorksWhenTaskTypeComesLast() throws Exception {
        Path f = dir.resolve("late.json");
        Files.writeString(f, """
                {"dev": [{"id": 1, "input": "Who wrote Hamlet?", "output": "Shakespeare"}], "test": [], "task_type": "exact_match"}
                """);
        Task fromFile = Datasets.custom("late").fromJson(f);
        assertEquals(TaskType.EXACT_MATCH, fromFile.type());
        assertEquals(List.of("Shakespeare"), fromFile.dev().get(0).answers());
        Task asVerifier = Datasets.custom("late").type(TaskType.GENERAL_VERIFIER).fromJson(f);
        assertEquals(TaskType.GENERAL_VERIFIER, asVerifier.type());
        assertEquals("Who wrote Hamlet?", asVerifier.dev().get(0).input());
        assertEquals(List.of("Shakespeare"), asVerifier.dev().get(0).answers());
    }

    @Test
    void jsonlWithFieldMapping() throws Exception {
        Path dev = dir.resolve("dev.jsonl");
        Path test = dir.resolve("test.jsonl");
        Files.writeString(dev, "{\"uid\": 7, \"prompt\": \"Is water wet?\", \"options\": [\"yes\", \"no\"], \"label\": \"A\", \"source\": \"x\"}\n");
        Files.writeString(test, """
                {"uid": "a", "prompt": "Pick the prime", "options": {"w": "4", "x": "6", "y": "7"}, "label": "y"}

                {"prompt": "Pick the even", "options": {"w": "4", "x": "5"}, "label": "w"}
                """);
        FieldMapping m = FieldMapping.builder().id("uid").input("prompt").choices("options").answer("label").build();
        Task t = Datasets.custom("mine").type(TaskType.MULTIPLE_CHOICE).mapping(m).fromJsonl(dev, test);
        assertEquals(new Example("7", "Is water wet?", Map.of("A", "yes", "B", "no"), List.of("A"), Map.of("source", "x")), t.dev().get(0));
        assertEquals(2, t.test().size());
        assertEquals("C", t.test().get(0).answer());
        assertEquals("7", t.test().get(0).choices().get("C"));
        assertEquals("test-1", t.test().get(1).id()); // no id: split and index
        assertEquals("A", t.test().get(1).answer());
        Task single = Datasets.custom("mine").type(TaskType.MULTIPLE_CHOICE).mapping(m).fromJsonl(test);
        assertTrue(single.dev().isEmpty());
        assertEquals(2, single.test().size());
    }

    @Test
    void freeTextMappingAndListAnswers() throws Exception {
        Path f = dir.resolve("qa.jsonl");
        Files.writeString(f, """
                {"q": "Largest planet?", "a": "[\\"Jupiter\\", \\"planet Jupiter\\"]"}
                {"q": "Smallest planet?", "a": "[\\"Mercury\\"]"}
                """);
        FieldMapping m = FieldMapping.builder().input("q").answer("a").answerListInString(true).build();
        Task t = Datasets.custom("planets").type(TaskType.F1_MATCH).mapping(m).fromJsonl(f);
        assertEquals(List.of("Jupiter", "planet Jupiter"), t.test().get(0).answers());
        assertEquals(List.of("Mercury"), t.test().get(1).answers());
        // the text as given is kept for MoCo-compatible scoring, which splits it at commas
        assertEquals(Map.of(Example.REFERENCE_LIST_TEXT, "[\"Jupiter\", \"planet Jupiter\"]"), t.test().get(0).fields());
    }

    @Test
    void inMemoryRecordsAndExamples() {
        List<Map<String, ?>> test = List.of(
                Map.of("id", 3, "input", "2*3?", "output", 6, "tag", "m"),
                Map.of("input", "Name a color", "output", List.of("red", "blue")));
        Task t = Datasets.custom("mem").type(TaskType.EXACT_MATCH).fromRecords(List.of(), test);
        assertEquals(new Example("3", "2*3?", Map.of(), List.of("6"), Map.of("tag", "m")), t.test().get(0));
        assertEquals(List.of("red", "blue"), t.test().get(1).answers());
        Example e = Example.freeText("x", "hi", "hello");
        Task ex = Datasets.custom("ex").type(TaskType.REWARD_MODEL).fromExamples(List.of(e), List.of());
        assertEquals(List.of(e), ex.dev());
    }

    @Test
    void generalVerifierAcceptsEachMocoShape() {
        List<Map<String, ?>> recs = List.of(
                Map.of("input", "i", "output", "o"),
                Map.of("question", "q", "answer", "a"),
                Map.of("question", "q2", "choices", Map.of("A", "x", "B", "y"), "answer", "B"));
        Task t = Datasets.custom("gv").type(TaskType.GENERAL_VERIFIER).fromRecords(List.of(), recs);
        assertEquals(List.of("o"), t.test().get(0).answers());
        assertEquals("q", t.test().get(1).input());
        assertEquals(List.of("a"), t.test().get(1).answers());
        assertEquals(List.of("B"), t.test().get(2).answers());
        assertEquals(2, t.test().get(2).choices().size());
    }

    @Test
    void letterKeysOutOfOrderAreSortedOtherKeysKeepTheirOrder() throws Exception {
        Path f = dir.resolve("order.json");
        Files.writeString(f, """
                {"task_type": "multiple_choice", "dev": [],
                 "test": [{"question": "q", "choices": {"B": "b", "A": "a", "C": "c"}, "answer": "C"},
                          {"question": "q", "choices": {"z": "first", "a": "second"}, "answer": "a"}]}
                """);
        Task t = Datasets.custom("order").fromJson(f);
        assertEquals(List.of("a", "b", "c"), List.copyOf(t.test().get(0).choices().values()));
        assertEquals("C", t.test().get(0).answer());
        assertEquals(List.of("first", "second"), List.copyOf(t.test().get(1).choices().values()));
        assertEquals("B", t.test().get(1).answer());
    }

    @Test
    void blankNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.custom(" "));
    }
}
