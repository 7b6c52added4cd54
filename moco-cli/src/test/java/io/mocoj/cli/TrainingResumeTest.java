package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Method-level kill and resume: {@code ./moco -c} (the CLI's main in a child JVM) runs
 * text_multiagent_finetuning on zoo models with a checkpoint every two optimiser steps; the test
 * kills it with SIGKILL once one training job has finished and the next has written a checkpoint,
 * runs the same command again, and compares with an uninterrupted run of the same command in
 * another log directory: the same per-example outputs and scores, byte-identical adapters, and the
 * same loss curves (the resumed job's steps before the kill come from its {@code losses.jsonl}).
 */
class TrainingResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path config(Path dir) throws IOException {
        Path cfg = dir.resolve("maf.json");
        Files.writeString(cfg, """
                {
                  "method": "text_multiagent_finetuning",
                  "task": "zoo_kbqa",
                  "task_type": "f1_match",
                  "model_names": ["zoo:base", "zoo:kbqa", "zoo:code"],
                  "hyperparameters": {
                    "max_response_length": 24, "temperature": 0.7, "top_p": 1.0, "batch_size": 4,
                    "iterations": 1, "rounds": 1, "training_ratio": 0.15,
                    "sft_epochs": 12, "sft_learning_rate": 1e-3, "lora_rank": 4, "checkpoint_every": 2
                  },
                  "limit": 4,
                  "seed": 7
                }
                """);
        return cfg;
    }

    /** {@code ./moco -c CFG -l LOGS} in a child JVM with this JVM's classpath (and the Vector API when this JVM has it). */
    private static Process start(Path cfg, Path logs, Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), MocoCli.class.getName(),
                "-c", cfg.toString(), "-l", logs.toString(), "--progress", "lines"));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        return out == null ? b.start() : b.redirectOutput(out.toFile()).start();
    }

    private static void runToEnd(Path cfg, Path logs, Path out) throws Exception {
        Process p = start(cfg, logs, out);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the run did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), Files.readString(out));
    }

    private static List<Path> jobs(Path logs) throws IOException {
        Path training = logs.resolve("training");
        if (!Files.isDirectory(training)) return List.of();
        try (Stream<Path> s = Files.walk(training, 2)) {
            return s.filter(p -> p.getParent().getParent() != null && p.getParent().getParent().equals(training)).sorted().toList();
        }
    }

    private static boolean hasCheckpoint(Path job) throws IOException {
        Path c = job.resolve("checkpoints");
        if (!Files.isDirectory(c)) return false;
        try (Stream<Path> s = Files.list(c)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.gguf"));
        }
    }

    /** Per job label: the adapter's SHA-256 and the manifest's losses. */
    private static Map<String, List<String>> trained(Path logs) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (Path job : jobs(logs)) {
            JsonNode m = JSON.readTree(job.resolve("manifest.json").toFile());
            out.put(job.getFileName().toString(), List.of(sha256(job.resolve("adapter.gguf")), m.get("losses").toString()));
        }
        return out;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            md.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The run log's per-example outputs and scores. */
    private static List<String> results(Path logs) throws IOException {
        JsonNode log = ApiMethodConfigsTest.onlyLog(logs);
        List<String> out = new ArrayList<>();
        for (JsonNode e : log.get("examples")) out.add(e.get("output").asText() + " | " + e.get("score").asText());
        return out;
    }

    @Test
    void aRunKilledDuringTrainingResumesToTheSameResultAsAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path cfg = config(tmp);
        Path straight = tmp.resolve("straight"), killed = tmp.resolve("killed");
        runToEnd(cfg, straight, tmp.resolve("straight.out"));

        // the CLI prints every optimiser step ("[train LABEL] MODEL step N/M ...") after the trainer wrote that step's checkpoint;
        // the child is killed at step 4 of the second job, so the first job is finished and the second has checkpoints
        Process p = start(cfg, killed, null);
        StringBuilder seen = new StringBuilder();
        List<String> labels = new ArrayList<>();
        boolean killedMidJob = false;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
                var m = java.util.regex.Pattern.compile("\\[train ([^\\]]+)\\] \\S+ step (\\d+)/(\\d+)").matcher(line);
                if (!m.find()) continue;
                if (!labels.contains(m.group(1))) labels.add(m.group(1));
                if (labels.size() == 2 && Integer.parseInt(m.group(2)) >= 4 && Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(3))) {
                    p.destroyForcibly();
                    killedMidJob = true;
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Files.writeString(tmp.resolve("killed.out"), seen);
        if (!killedMidJob) fail("the run ended before the second job's fourth step: " + seen);
        Path second = jobs(killed).stream().filter(j -> j.getFileName().toString().equals(labels.get(1))).findFirst().orElseThrow();
        assertTrue(hasCheckpoint(second) && Files.notExists(second.resolve("manifest.json")), "killed inside the second job");
        assertFalse(p.exitValue() == 0, "the child was killed");
        try (Stream<Path> s = Files.list(killed)) {
            assertTrue(s.noneMatch(f -> f.toString().endsWith(".json")), "the killed run wrote no run log");
        }

        runToEnd(cfg, killed, tmp.resolve("resumed.out"));
        assertEquals(results(straight), results(killed), "same outputs and scores per test example");
        Map<String, List<String>> a = trained(straight), b = trained(killed);
        assertEquals(a, b, "same jobs, byte-identical adapters, same loss curves");
        int midway = 0;
        for (Path job : jobs(killed)) {
            JsonNode m = JSON.readTree(job.resolve("manifest.json").toFile());
            int at = m.path("resumed_at_step").asInt(0);
            if (at > 0 && at < m.get("losses").size()) midway++;
        }
        assertEquals(1, midway, "exactly the job that was killed resumed from a checkpoint in its middle: " + b.keySet());
        assertTrue(a.size() >= 2, "at least two jobs: " + a.keySet());
    }
}
