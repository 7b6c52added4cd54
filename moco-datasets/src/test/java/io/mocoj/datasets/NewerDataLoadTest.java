package io.mocoj.datasets;

import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every file in ../shared/moco-data/newer loads with the split sizes NEWER.md gives (skipped without the folder). */
class NewerDataLoadTest {
    /** dev / test sizes from ../shared/moco-data/newer/NEWER.md. */
    private static final Map<String, int[]> SIZES = Map.of(
            "apex_shortlist", new int[] {7, 40}, "bixbench", new int[] {102, 103},
            "ifeval", new int[] {250, 250}, "value_drifts", new int[] {275, 275});

    private static Path newer() {
        Path dir = SharedData.require().resolve("newer");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no newer/ folder in the shared data; skipping");
        return dir;
    }

    @Test
    void everyNewerFileLoadsWithItsSplitSizesAndPinnedHash() throws IOException {
        Path dir = newer();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) { files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList(); }
        assertEquals(SIZES.keySet(), files.stream().map(p -> p.getFileName().toString().replace(".json", "")).collect(java.util.stream.Collectors.toSet()));
        DatasetLoader loader = DatasetLoader.builder().dataDir(dir).offline(true).memoryCache(false).build();
        for (Path f : files) {
            String name = f.getFileName().toString().replace(".json", "");
            DatasetInfo info = Datasets.info(name).orElseThrow();
            Task t = loader.load(name);
            assertEquals(SIZES.get(name)[0], t.dev().size(), name + " dev");
            assertEquals(SIZES.get(name)[1], t.test().size(), name + " test");
            assertEquals(info.devSize(), t.dev().size(), name);
            assertEquals(info.testSize(), t.test().size(), name);
            assertEquals(info.type(), t.type(), name);
            for (String field : info.fields()) {
                if (List.of("id", "input", "question", "choices", "answer", "output").contains(field)) continue;
                assertTrue(t.test().get(0).fields().containsKey(field), name + " has field " + field);
            }
        }
    }

    @Test
    void ifevalItemsCarryTheirInstructionsAndKwargs() {
        Task t = DatasetLoader.builder().dataDir(newer()).offline(true).build().load("ifeval");
        assertEquals(TaskType.IFEVAL, t.type());
        for (var e : t.test()) {
            List<?> ids = (List<?>) e.fields().get("instruction_id_list");
            List<?> kwargs = (List<?>) e.fields().get("kwargs");
            assertFalse(ids.isEmpty(), e.id());
            assertEquals(ids.size(), kwargs.size(), e.id());
        }
    }

    @Test
    void bixbenchAnswersAreLettersAndApexHasReferences() {
        DatasetLoader loader = DatasetLoader.builder().dataDir(newer()).offline(true).build();
        for (var e : loader.load("bixbench").test()) assertTrue(e.choices().containsKey(e.answer()), e.id());
        for (var e : loader.load("apex_shortlist").test()) assertFalse(e.answer().isBlank(), e.id());
    }
}
