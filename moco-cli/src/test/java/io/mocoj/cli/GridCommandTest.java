package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.cli.grid.CellRecord;
import io.mocoj.cli.grid.Leaderboard;
import io.mocoj.eval.Aggregation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridCommandTest {
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out, String err) {}

    @AfterEach
    void restoreEnv() { GridCommand.env = System.getenv(); }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** 2 methods x 1 task x 2 pools x 2 seeds = 8 cells of 20 test examples on simulated models. */
    private static Path grid(Path dir) throws Exception {
        String data = DEMO_DATA.toString().replace("\\", "/");
        Path g = dir.resolve("grid.json");
        Files.writeString(g, """
                {
                  "methods": ["text_majority_vote", {"method": "text_majority_vote", "hyperparameters": {"tie": "dev-based"}}],
                  "tasks": ["%s"],
                  "pools": [["sim:a?accuracy=0.6", "sim:b?accuracy=0.65", "sim:c?accuracy=0.7"],
                            ["sim:d?accuracy=0.5", "sim:e?accuracy=0.8", "sim:f?accuracy=0.55"]],
                  "seeds": [1, 2],
                  "limit": 20
                }
                """.formatted(data));
        return g;
    }

    @Test
    void twoShardProcessesMergeToTheSameLeaderboardAsOneProcess(@TempDir Path dir) throws Exception {
        Path g = grid(dir);
        Result single = run("grid", "-c", g.toString(), "-l", dir.resolve("one").toString());
        assertEquals(0, single.code(), single.err());
        assertTrue(single.out().contains("grid: ran 8, already done 0, failed 0"), single.out());

        List<Process> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            shards.add(new ProcessBuilder(javaCommand("grid", "-c", g.toString(), "-l", dir.resolve("two").toString(), "--shard", i + "/2"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("shard" + i + ".log").toFile()).start());
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(shards.get(i).waitFor(120, TimeUnit.SECONDS), "shard " + i + " finished");
            assertEquals(0, shards.get(i).exitValue(), Files.readString(dir.resolve("shard" + i + ".log")));
            assertTrue(Files.readString(dir.resolve("shard" + i + ".log")).contains("shard " + i + "/2 runs 4"));
        }
        Result merged = run("grid", "merge", "-l", dir.resolve("two").toString());
        assertEquals(0, merged.code(), merged.err());
        assertEquals(Files.readString(dir.resolve("one/leaderboard.json")), Files.readString(dir.resolve("two/leaderboard.json")),
                "the merged leaderboard of two shard processes equals the single-process one");
        JsonNode board = JSON.readTree(dir.resolve("one/leaderboard.json").toFile());
        assertEquals(8, board.get("rows").size());
        assertTrue(board.get("complete").asBoolean());
        assertTrue(Files.readString(dir.resolve("one/leaderboard.md")).contains("SIMULATED models in this grid"));
        String html = Files.readString(dir.resolve("one/leaderboard.html"));
        assertTrue(single.out().contains("leaderboard: " + dir.resolve("one/leaderboard.html")), single.out());
        assertEquals(1, html.split("<section class=\"task\"", -1).length - 1, "one section per task");
        assertEquals(1, html.split("<svg", -1).length - 1, "one difference chart per task");
        assertEquals(8, html.split("<tr>", -1).length - 2, "a table row per cell (after the header row)");
        assertEquals(Files.readString(dir.resolve("one/leaderboard.html")), Files.readString(dir.resolve("two/leaderboard.html")),
                "the page is a function of leaderboard.json alone");

        Result again = run("grid", "-c", g.toString(), "-l", dir.resolve("one").toString());
        assertTrue(again.out().contains("grid: ran 0, already done 8, failed 0"), "a finished grid resumes with nothing to do: " + again.out());
    }

    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), MocoCli.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theShardComesFromTheIndexedJobEnvironment(@TempDir Path dir) throws Exception {
        GridCommand.env = Map.of("JOB_COMPLETION_INDEX", "1", "MOCO_SHARD_COUNT", "4");
        Result r = run("grid", "-c", grid(dir).toString(), "-l", dir.resolve("logs").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("shard 1/4 runs 2"), r.out());
        try (var cells = Files.list(dir.resolve("logs/cells"))) {
            assertEquals(List.of("demo_mcq__text_majority_vote#1__pool0__seed2", "demo_mcq__text_majority_vote#2__pool0__seed2"),
                    cells.map(p -> p.getFileName().toString()).sorted().toList(), "cells 1 and 5 of 8");
        }
        Result merge = run("grid", "merge", "-l", dir.resolve("logs").toString());
        assertEquals(1, merge.code(), "missing cells make merge exit 1");
        assertTrue(merge.out().contains("INCOMPLETE: 6 of 8 cells have no result yet"), merge.out());
        assertTrue(Files.readString(dir.resolve("logs/leaderboard.html")).contains("<strong>INCOMPLETE</strong> 6 cells"));

        GridCommand.env = Map.of("JOB_COMPLETION_INDEX", "1");
        Result noCount = run("grid", "-c", grid(dir).toString(), "-l", dir.resolve("x").toString());
        assertEquals(2, noCount.code());
        assertTrue(noCount.err().contains("MOCO_SHARD_COUNT is not"), noCount.err());
    }

    @Test
    void badShardsAndGridsAreRefusedWithExitCode2(@TempDir Path dir) throws Exception {
        for (String bad : List.of("2/2", "x/3", "1", "-1/2", "0/0")) {
            Result r = run("grid", "-c", grid(dir).toString(), "-l", dir.resolve("l").toString(), "--shard", bad);
            assertEquals(2, r.code(), bad);
            assertTrue(r.err().contains("expected I/N"), r.err());
        }
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"methods\": [], \"tasks\": [\"x\"], \"pools\": [[\"sim:a\"]]}");
        Result r = run("grid", "-c", broken.toString(), "-l", dir.resolve("l2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\"methods\" must be a non-empty list"), r.err());
    }

    @Test
    void emergenceAndOracleFollowTheirDefinitions() {
        // per example: method 1,1,0,1; model A 1,0,0,0; model B 0,0,1,0
        CellRecord.Result m = new CellRecord.Result("m", 0.75, 0, 1, 0, 4, 0, null, List.of(1.0, 1.0, 0.0, 1.0));
        CellRecord.Result a = new CellRecord.Result("A", 0.25, 0, 1, 0, 4, 0, null, List.of(1.0, 0.0, 0.0, 0.0));
        CellRecord.Result b = new CellRecord.Result("B", 0.25, 0, 1, 0, 4, 0, null, List.of(0.0, 0.0, 1.0, 0.0));
        CellRecord cell = new CellRecord("c", 0, "t", "m", 0, 1, List.of("A", "B"), List.of(), m, List.of(a, b), 0);
        Leaderboard.Row row = Leaderboard.row(cell, Aggregation.defaults());
        assertEquals(0.5, row.oracle(), 1e-12, "the best single model per example: 1, 0, 1, 0");
        assertEquals(0.5, row.emergence(), 1e-12, "examples 2 and 4: solved by the method and by no single model");
        assertEquals(2, row.emergent());
        assertEquals("A", row.bestSingle(), "ties between A and B go to the first");
        assertEquals(2, row.vsBest().wins(), "against A: examples 2 and 4");
        assertEquals(2, row.vsBest().ties());
        assertEquals(0, row.vsBest().losses());
    }
}
