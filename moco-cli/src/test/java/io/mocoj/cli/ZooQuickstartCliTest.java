package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: a method on real zoo models (no key, server or download), and the zoo subcommands. */
class ZooQuickstartCliTest {
    private static final Path CONFIG = Path.of("../examples/configs/zoo_quickstart.json").toAbsolutePath().normalize();

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theMainJobRunsMajorityVoteOnZooModelsAndComparesEachModelAlone(@TempDir Path tmp) throws Exception {
        Path logs = tmp.resolve("logs");
        Result r = run("-c", CONFIG.toString(), "-l", logs.toString(), "--progress", "none", "--limit", "60");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("SIMULATED"), r.out());
        for (String m : List.of("mcq alone", "reverse alone", "kbqa alone")) assertTrue(r.out().contains(m), m + " missing in " + r.out());
        List<Path> written;
        try (Stream<Path> s = Files.list(logs)) {
            written = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(1, written.size());
        JsonNode log = new ObjectMapper().readTree(written.get(0).toFile());
        assertEquals("zoo_mcq", log.get("task").asText());
        assertEquals(60, log.get("examples").size());
        for (JsonNode m : log.get("models")) assertFalse(m.get("simulated").asBoolean(), m.toString());
    }

    @Test
    void zooListShowsTheShippedModelsAndABadActionIsRefused() {
        Result r = run("zoo", "list");
        assertEquals(0, r.code(), r.err());
        for (String m : List.of("zoo:base ", "zoo:weak ", "zoo:arith ", "zoo:lora-sort ")) assertTrue(r.out().contains(m), r.out());
        Result bad = run("zoo", "bogus");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown zoo action 'bogus'"), bad.err());
    }

    @Test
    void zooEvalOfTheMixedTaskScoresEachModelOnItsItemsOfEachSkill() {
        Result r = run("zoo", "eval", "--task", "zoo_mix", "--models", "arith,sort", "--limit", "6", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        // the first 6 mixed items are the first 2 test items of zoo_arith, zoo_reverse and zoo_sort: score them skill by skill
        String row = r.out().lines().filter(l -> l.startsWith("| zoo_mix |")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        String[] cells = row.split("\\|");
        List<String> models = List.of("arith", "sort");
        for (String m : models) {
            io.mocoj.local.LocalModel model = io.mocoj.zoo.Zoo.shipped().load(m, 1);
            double sum = 0;
            for (io.mocoj.zoo.Skill s : io.mocoj.zoo.SkillTasks.MIX_SKILLS) {
                for (io.mocoj.task.Score sc : io.mocoj.zoo.ZooEvaluation.score(model, io.mocoj.zoo.SkillTasks.task(s).limit(2))) sum += sc.value();
            }
            String mean = String.format(java.util.Locale.ROOT, "%.2f [", sum / 6);
            assertTrue(cells[2 + models.indexOf(m)].replace("**", "").strip().startsWith(mean), m + " should score " + mean + ": " + r.out());
        }
        Result bad = run("zoo", "eval", "--task", "mmlu", "--limit", "1");
        assertTrue(bad.code() != 0 && bad.err().contains("--task takes a zoo task"), bad.err());
    }
}
