package io.mocoj.datasets;

import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.task.Tasks;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RegistryTest {
    // the task names listed in the MoCo-J brief and the MoCo dataset table, with their task types
    private static final Map<String, TaskType> EXPECTED = new java.util.LinkedHashMap<>();
    static {
        for (String n : List.of("agieval", "agieval_tiny", "arc_challenge", "mmlu_redux", "blend", "truthfulqa", "sciencemeter",
                "kaleidoscope", "culturalbench_hard", "gpqa_diamond", "gpqa_main", "gpqa_extended", "medmcqa", "medqa",
                "tablemwp_multiple_choice")) EXPECTED.put(n, TaskType.MULTIPLE_CHOICE);
        for (String n : List.of("bbh", "gsm8k", "math", "theoremqa", "sciriff", "culturebench", "pubmedqa", "tablemwp_free_text"))
            EXPECTED.put(n, TaskType.EXACT_MATCH);
        EXPECTED.put("popqa", TaskType.F1_MATCH);
        EXPECTED.put("wikidyk", TaskType.F1_MATCH);
        EXPECTED.put("coconot", TaskType.NONCOMPLIANCE);
        EXPECTED.put("humaneval", TaskType.CODING);
        EXPECTED.put("mbpp", TaskType.CODING);
        for (String n : List.of("alpacaeval", "human_interest", "human_interest_tiny")) EXPECTED.put(n, TaskType.REWARD_MODEL);
        EXPECTED.put("infinite_chat_diversity", TaskType.GENERATION_DIVERSITY);
        EXPECTED.put("wildchat", TaskType.REWARD_MODEL);
        EXPECTED.put("infinite_chat_open", TaskType.REWARD_MODEL);
        // the 12 newer benchmarks, with the task types issue #15 lists
        EXPECTED.put("apex_shortlist", TaskType.GENERAL_VERIFIER);
        EXPECTED.put("bixbench", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("chembench", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("communitybench", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("ifeval", TaskType.IFEVAL);
        EXPECTED.put("kernelbench", TaskType.KERNEL_BENCH);
        EXPECTED.put("lab_bench", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("mixeval", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("mmluprox", TaskType.MULTIPLE_CHOICE);
        EXPECTED.put("scitarc", TaskType.GENERAL_VERIFIER);
        EXPECTED.put("smdd", TaskType.SMDD);
        EXPECTED.put("value_drifts", TaskType.REWARD_MODEL);
    }

    @Test
    void newerTasksArePublishedAtTheirOwnCommitAndSayWhatTheyNeed() {
        DatasetLoader loader = DatasetLoader.builder().offline(true).build();
        for (String n : List.of("apex_shortlist", "bixbench", "ifeval", "value_drifts")) {
            DatasetInfo i = Datasets.info(n).orElseThrow();
            assertTrue(i.downloadable(), n + " has a pinned hash");
            assertTrue(i.sizesKnown(), n);
        }
        for (String n : List.of("chembench", "communitybench", "kernelbench", "lab_bench", "mixeval", "mmluprox", "scitarc", "smdd")) {
            DatasetInfo i = Datasets.info(n).orElseThrow();
            assertTrue(i.unpinned(), n + " is published without a pinned hash");
            assertEquals(40, i.commit().length(), n);
            assertEquals("https://raw.githubusercontent.com/BunsenFeng/model_collaboration/" + i.commit() + "/model_collaboration/data/" + n + ".json",
                    loader.urlOf(n).toString());
        }
        assertEquals(List.of("gpu"), Datasets.info("kernelbench").orElseThrow().needs());
        assertEquals(List.of("rdkit"), Datasets.info("smdd").orElseThrow().needs());
        assertEquals(List.of("judge"), Datasets.info("apex_shortlist").orElseThrow().needs());
        assertEquals(List.of(), Datasets.info("ifeval").orElseThrow().needs());
        assertTrue(loader.urlOf("gsm8k").toString().contains("/" + DatasetInfo.PINNED_COMMIT + "/"));
    }

    @Test
    void misspelledTaskNamesGetASuggestion() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().offline(true).build().load("gsm8kk"));
        assertTrue(e.getMessage().startsWith("unknown dataset 'gsm8kk' (did you mean 'gsm8k'?)"), e.getMessage());
        var far = assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().offline(true).build().load("zzzzzzzzzzzzzzzz"));
        assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
    }

    @Test
    void everyTaskIsRegisteredWithItsTypeDescriptionAndCitation() {
        assertEquals(List.copyOf(EXPECTED.keySet()), Datasets.names());
        for (DatasetInfo i : Datasets.all()) {
            assertEquals(EXPECTED.get(i.name()), i.type(), i.name());
            assertFalse(i.description().isBlank(), i.name());
            assertTrue(i.citation().matches(".*(19|20)\\d\\d\\..*"), i.name() + ": " + i.citation());
            assertTrue(i.fields().contains("id"), i.name());
            assertTrue(i.fields().contains(i.type() == TaskType.MULTIPLE_CHOICE ? "question" : "input"), i.name());
        }
        assertFalse(Datasets.info("wildchat").orElseThrow().downloadable());
        assertTrue(Datasets.info("gsm8k").orElseThrow().downloadable());
        assertTrue(Datasets.info("nope").isEmpty());
    }

    @Test
    void everyTaskHasAStaticShortcut() throws Exception {
        for (String name : Datasets.names()) {
            StringBuilder camel = new StringBuilder();
            boolean up = false;
            for (char c : name.toCharArray()) {
                if (c == '_') { up = true; continue; }
                camel.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
            Method m = Datasets.class.getMethod(camel.toString());
            assertTrue(Modifier.isStatic(m.getModifiers()), camel.toString());
            assertEquals(Task.class, m.getReturnType());
        }
    }

    @Test
    void pinnedHashesMatchTheSharedSha256Sums() throws Exception {
        Path dir = SharedData.require();
        Path sums = dir.resolve("SHA256SUMS");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sums), "no SHA256SUMS in the shared data folder; skipping");
        Map<String, String> fromFile = new HashMap<>();
        for (String line : Files.readAllLines(sums)) {
            if (line.isBlank()) continue;
            String[] parts = line.trim().split("\\s+\\*?", 2);
            fromFile.put(parts[1].replace(".json", ""), parts[0]);
        }
        int pinned = 0;
        for (DatasetInfo i : Datasets.all()) {
            if (!i.commit().equals(DatasetInfo.PINNED_COMMIT) && i.published()) continue; // newer tasks: see below
            if (i.downloadable()) {
                assertEquals(fromFile.get(i.name()), i.sha256(), i.name());
                pinned++;
            } else {
                assertFalse(fromFile.containsKey(i.name()), i.name() + " has a published file but no pinned hash");
            }
        }
        assertEquals(fromFile.size(), pinned);
        // the newer files' own SHA256SUMS
        Path newer = dir.resolve("newer").resolve("SHA256SUMS");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(newer), "no newer/SHA256SUMS; skipping");
        int newerPinned = 0;
        for (String line : Files.readAllLines(newer)) {
            if (line.isBlank()) continue;
            String[] parts = line.trim().split("\\s+\\*?", 2);
            assertEquals(parts[0], Datasets.info(parts[1].replace(".json", "")).orElseThrow().sha256(), parts[1]);
            newerPinned++;
        }
        assertEquals(4, newerPinned);
    }

    @Test
    void tasksLoadFindsTheServiceProvider() {
        // the default loader reads these properties when first used; point it at the shared data and forbid downloads
        Path dir = SharedData.require();
        System.setProperty(DatasetLoader.DATA_DIR_PROPERTY, dir.toString());
        System.setProperty(DatasetLoader.OFFLINE_PROPERTY, "true");
        try {
            Task t = Tasks.load("agieval_tiny");
            assertEquals("agieval_tiny", t.name());
            assertEquals(40, t.test().size());
            var e = assertThrows(IllegalArgumentException.class, () -> Tasks.load("no_such_task"));
            assertTrue(e.getMessage().contains("known tasks: agieval, agieval_tiny"), e.getMessage());
        } finally {
            System.clearProperty(DatasetLoader.DATA_DIR_PROPERTY);
            System.clearProperty(DatasetLoader.OFFLINE_PROPERTY);
        }
    }
}
