package io.mocoj.datasets;

import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LoaderOptionsTest {
    @TempDir Path dir;

    private DatasetLoader loaderWithGsm8k() throws Exception {
        Files.writeString(dir.resolve("gsm8k.json"), "{\"dataset\": \"gsm8k\", \"task_type\": \"exact_match\", \"dev\": [], "
                + "\"test\": [{\"id\": 1, \"input\": \"1+1\", \"output\": \"2\"}]}");
        return DatasetLoader.builder().config(Map.of("data_dir", dir.toString(), "cache_dir", dir.resolve("c").toString(), "offline", true)).build();
    }

    @Test
    void configMapSetsDirectoriesAndOfflineMode() throws Exception {
        DatasetLoader l = loaderWithGsm8k();
        assertEquals(dir, l.dataDir().orElseThrow());
        assertEquals(dir.resolve("c"), l.cacheDir());
        assertTrue(l.offline());
        assertEquals(Path.of(dir.toString(), "gsm8k.json"), l.locate("gsm8k").orElseThrow());
        assertTrue(l.locate("math").isEmpty());
        Map<String, Object> withUrl = new HashMap<>();
        withUrl.put("data_url", "https://mirror.example/moco");
        withUrl.put("cache_dir", null);
        DatasetLoader m = DatasetLoader.builder().config(withUrl).build();
        assertEquals("https://mirror.example/moco/gsm8k.json", m.urlOf("gsm8k").toString());
        var unknown = assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().config(Map.of("datadir", "x")));
        assertEquals("unknown dataset setting 'datadir'; accepted: data_dir, cache_dir, offline, data_url", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().config(Map.of("offline", "maybe")));
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().config(Map.of("data_dir", 3)));
    }

    @Test
    void defaultUrlIsThePinnedCommit() {
        DatasetLoader l = DatasetLoader.builder().build();
        if (System.getProperty(DatasetLoader.BASE_URL_PROPERTY) == null && System.getenv(DatasetLoader.BASE_URL_ENV) == null) {
            assertEquals("https://raw.githubusercontent.com/BunsenFeng/model_collaboration/ecea545acdd3f49e9f9fa46a6dedcb076ed476b1/model_collaboration/data/gsm8k.json",
                    l.urlOf("gsm8k").toString());
        }
    }

    @Test
    void loadAsAnotherTaskType() throws Exception {
        DatasetLoader l = loaderWithGsm8k();
        Task em = l.load("gsm8k");
        Task gv = l.load("gsm8k", TaskType.GENERAL_VERIFIER);
        assertEquals(TaskType.GENERAL_VERIFIER, gv.type());
        assertEquals(em.test(), gv.test());
        assertSame(em, l.load("gsm8k", TaskType.EXACT_MATCH));
        assertEquals(TaskType.TEXT_GENERATION, l.load("gsm8k", TaskType.TEXT_GENERATION).type());
        var e = assertThrows(IllegalArgumentException.class, () -> l.load("gsm8k", TaskType.CODING));
        assertEquals("task 'gsm8k' is exact_match data; it can be evaluated as exact_match, general_verifier, text_generation, reward_model, not as coding",
                e.getMessage());
    }

    @Test
    void inMemoryRecordsAreCopiedDeeplyWithJsonNumberTypes() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> rec = new HashMap<>();
        rec.put("input", "q");
        rec.put("output", "a");
        rec.put("count", 3);
        rec.put("ratio", 0.5f);
        rec.put("tags", tags);
        Task t = Datasets.custom("mem").type(TaskType.EXACT_MATCH).fromRecords(List.of(rec), List.of());
        var f = t.dev().get(0).fields();
        assertEquals(3L, f.get("count"));
        assertEquals(0.5d, f.get("ratio"));
        tags.add("b");
        assertEquals(List.of("a"), f.get("tags"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) f.get("tags")).clear());
    }
}
