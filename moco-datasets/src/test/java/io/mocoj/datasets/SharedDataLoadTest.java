package io.mocoj.datasets;

import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every published file in the shared data folder loads with the split sizes listed in benchmarks.md. */
class SharedDataLoadTest {
    @TempDir static Path emptyCache;
    static DatasetLoader loader;

    @BeforeAll
    static void setUp() {
        SharedData.find().ifPresent(dir -> loader = DatasetLoader.builder().dataDir(dir).cacheDir(emptyCache).offline(true).build());
    }

    // name, task type, dev, test: copied from the table in ../shared/docs/benchmarks.md (the shared folder beside the repository)
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "agieval, multiple_choice, 1156, 1156",
            "agieval_tiny, multiple_choice, 40, 40",
            "arc_challenge, multiple_choice, 299, 1172",
            "mmlu_redux, multiple_choice, 1000, 1000",
            "blend, multiple_choice, 1000, 1000",
            "truthfulqa, multiple_choice, 200, 617",
            "sciencemeter, multiple_choice, 1000, 1000",
            "kaleidoscope, multiple_choice, 1000, 1000",
            "culturalbench_hard, multiple_choice, 613, 613",
            "gpqa_diamond, multiple_choice, 99, 99",
            "gpqa_main, multiple_choice, 224, 224",
            "gpqa_extended, multiple_choice, 273, 273",
            "medmcqa, multiple_choice, 2091, 2092",
            "medqa, multiple_choice, 636, 637",
            "tablemwp_multiple_choice, multiple_choice, 124, 125",
            "bbh, exact_match, 1000, 1000",
            "gsm8k, exact_match, 200, 1000",
            "math, exact_match, 956, 956",
            "theoremqa, exact_match, 400, 400",
            "sciriff, exact_match, 114, 139",
            "culturebench, exact_match, 2454, 2454",
            "pubmedqa, exact_match, 500, 500",
            "tablemwp_free_text, exact_match, 375, 376",
            "popqa, f1_match, 1000, 1000",
            "wikidyk, f1_match, 1000, 765",
            "coconot, noncompliance, 1000, 1000",
            "humaneval, coding, 50, 114",
            "mbpp, coding, 487, 487",
            "alpacaeval, reward_model, 2000, 1000",
            "human_interest, reward_model, 400, 400",
            "human_interest_tiny, reward_model, 58, 112",
            "infinite_chat_diversity, generation_diversity, 26, 25",
    })
    void loadsWithPublishedSizes(String name, String type, int dev, int test) {
        SharedData.require();
        Task t = loader.load(name);
        assertEquals(name, t.name());
        assertEquals(TaskType.fromConfigName(type), t.type());
        assertEquals(dev, t.dev().size(), "dev size");
        assertEquals(test, t.test().size(), "test size");
        assertFalse(t.description().isBlank());
        for (Example e : Stream.concat(t.dev().stream(), t.test().stream()).toList()) {
            assertFalse(e.input().isBlank(), () -> name + " " + e.id() + " has an empty input");
            if (t.type() == TaskType.MULTIPLE_CHOICE) {
                assertEquals(1, e.answers().size());
                assertTrue(e.choices().containsKey(e.answer()), () -> name + " " + e.id() + ": answer not among the choices");
                // letters by position: A, B, C, ...
                int i = 0;
                for (String k : e.choices().keySet()) assertEquals(String.valueOf((char) ('A' + i++)), k);
            }
        }
        // ids are unique within a split, except in blend and math whose published files repeat ids
        if (!Set.of("blend", "math").contains(name)) {
            assertEquals(t.test().size(), t.test().stream().map(Example::id).collect(Collectors.toSet()).size(), "unique test ids");
        }
    }

    @Test
    void everySharedFileIsARegisteredTaskAndLoads() throws Exception {
        Path dir = SharedData.require();
        List<String> files;
        try (var s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (String f : files) {
            String name = f.substring(0, f.length() - 5);
            assertTrue(Datasets.info(name).isPresent(), name + " is not registered");
            Task t = loader.load(name);
            assertEquals(Datasets.info(name).get().devSize(), t.dev().size(), name);
            assertEquals(Datasets.info(name).get().testSize(), t.test().size(), name);
        }
    }

    @Test
    void gsm8kUsesDatasetKeyAndIntIds() {
        SharedData.require();
        Task t = loader.load("gsm8k");
        Example first = t.dev().get(0);
        assertEquals("438", first.id()); // the file's first dev id is the int 438
        assertTrue(first.input().startsWith("A dime has the same value as 10 pennies"));
        assertEquals(1, first.answers().size());
        assertEquals("gsm8k", first.fields().get("domain"));
        assertTrue(first.choices().isEmpty());
        assertFalse(first.fields().containsKey("input"));
        assertFalse(first.fields().containsKey("output"));
        assertFalse(first.fields().containsKey("id"));
    }

    @Test
    void culturebenchKeepsTheFileNameAndQuestionIds() {
        SharedData.require();
        Task t = loader.load("culturebench");
        assertEquals("culturebench", t.name());
        Example e = t.dev().get(0);
        assertEquals("2454", e.id());
        assertEquals("613", e.fields().get("question_id"));
        assertEquals("Mexico", e.fields().get("country"));
        assertEquals(List.of("False"), e.answers());
    }

    @Test
    void popqaOutputBecomesEveryListedAnswer() {
        SharedData.require();
        Example e = loader.load("popqa").dev().get(0);
        assertEquals("1412286", e.id());
        assertEquals(List.of("association football", "football", "soccer"), e.answers());
        assertEquals(41L, e.fields().get("s_pop"));
        assertEquals(197767L, e.fields().get("o_pop"));
    }

    @Test
    void arcNumericChoiceKeysBecomeLetters() {
        SharedData.require();
        Task t = loader.load("arc_challenge");
        Example e = Stream.concat(t.dev().stream(), t.test().stream())
                .filter(x -> x.choices().getOrDefault("A", "").equals("greater than the total mass of the products")).findFirst().orElseThrow();
        assertEquals(List.of("A", "B", "C", "D"), List.copyOf(e.choices().keySet()));
        assertEquals("equal to the total mass of the products", e.choices().get("B"));
        assertEquals("B", e.answer()); // the file says "2"
    }

    @Test
    void tablemwpChoiceKeyedIdBecomesD() {
        SharedData.require();
        Task t = loader.load("tablemwp_multiple_choice");
        Example e = t.dev().stream().filter(x -> x.id().equals("1237")).findFirst().orElseThrow();
        assertEquals(Map.of("A", "French club", "B", "math club", "C", "Japanese club", "D", "Spanish club"), e.choices());
        assertEquals("D", e.answer()); // the file says "id"
    }

    @Test
    void nullOutputsGiveNoGoldAnswer() {
        SharedData.require();
        Task math = loader.load("math");
        Example e = math.dev().stream().filter(x -> x.id().equals("403")).findFirst().orElseThrow();
        assertEquals("Find $\\sin \\frac{11 \\pi}{3}.$", e.input());
        assertTrue(e.answers().isEmpty());
        long empty = Stream.concat(math.dev().stream(), math.test().stream()).filter(x -> x.answers().isEmpty()).count();
        assertEquals(12, empty); // 7 dev + 5 test outputs are null in the published file
    }

    @Test
    void nullOptionTextIsShownAsNone() {
        SharedData.require();
        Example e = loader.load("culturalbench_hard").dev().get(221);
        assertEquals(List.of("A type of sandwich", "A piece of clothing", "A disco place", "None"), List.copyOf(e.choices().values()));
        assertEquals("A", e.answer());
    }

    @Test
    void fieldTypesAreKept() {
        SharedData.require();
        Example div = loader.load("infinite_chat_diversity").dev().get(0);
        assertInstanceOf(List.class, div.fields().get("reference"));
        assertEquals(3, ((List<?>) div.fields().get("reference")).size());
        Example he = loader.load("humaneval").dev().get(0);
        assertEquals("HumanEval/81", he.id());
        assertEquals("python", he.fields().get("language"));
        assertTrue(((String) he.fields().get("test")).startsWith("def check(candidate):"));
        assertTrue(he.answers().isEmpty());
        Example th = loader.load("theoremqa").dev().get(0);
        assertInstanceOf(String.class, th.fields().get("answer_type"));
        Example co = loader.load("coconot").dev().get(0);
        assertInstanceOf(String.class, co.fields().get("category"));
        assertEquals(Set.of("category"), co.fields().keySet());
    }

    @Test
    void tasksAreImmutableAndCachedPerName() {
        SharedData.require();
        Task a = loader.load("agieval_tiny");
        assertSame(a, loader.load("agieval_tiny"));
        assertThrows(UnsupportedOperationException.class, () -> a.dev().add(a.dev().get(0)));
        assertThrows(UnsupportedOperationException.class, () -> a.dev().get(0).fields().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> a.dev().get(0).choices().put("Z", "z"));
        DatasetLoader uncached = DatasetLoader.builder().dataDir(SharedData.require()).cacheDir(emptyCache).offline(true).memoryCache(false).build();
        assertNotSame(uncached.load("agieval_tiny"), uncached.load("agieval_tiny"));
        assertEquals(a, uncached.load("agieval_tiny"));
    }
}
