package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, seeded fuzz test over configs and dataset files (issue #8): every generated case
 * must end with exit code 0 (and a run log) or 2 (one clear message, nothing written); never 1,
 * never a stack trace or a bare exception name, never a hang. The figures it prints are the ones
 * in docs/reliability.md.
 */
class ConfigFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    static final int CONFIG_CASES = 120, DATA_CASES = 60;

    static JsonNode value(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> F.textNode("");
            case 1 -> F.textNode("x");
            case 2 -> F.numberNode(-1);
            case 3 -> F.numberNode(0);
            case 4 -> F.numberNode(1);
            case 5 -> F.numberNode(4294967297L);
            case 6 -> F.numberNode(1e300);
            case 7 -> F.numberNode(-1e300);
            case 8 -> F.numberNode(1.5);
            case 9 -> F.booleanNode(true);
            case 10 -> F.nullNode();
            case 11 -> F.arrayNode();
            case 12 -> F.objectNode();
            case 13 -> F.arrayNode().add(1).add("a");
            case 14 -> F.textNode("caf\u00e9 \u2603");
            case 15 -> F.textNode("y".repeat(10_000));
            case 16 -> F.textNode("../../etc/passwd");
            case 17 -> F.textNode("/dev/zero");
            case 18 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            default -> F.textNode("sim:z?accuracy=2");
        };
    }

    static ObjectNode validConfig() {
        ObjectNode c = F.objectNode();
        c.put("method", "text_majority_vote");
        c.put("task", DEMO_DATA.toString().replace("\\", "/"));
        c.put("task_type", "multiple_choice");
        c.set("model_names", F.arrayNode().add("sim:a?accuracy=0.6").add("sim:b?accuracy=0.7"));
        ObjectNode h = c.putObject("hyperparameters");
        h.put("max_response_length", 64).put("temperature", 0.7).put("top_p", 0.9).put("batch_size", 4).put("tie", "random");
        c.put("seed", 7);
        c.put("limit", 3);
        return c;
    }

    static final String[] TOP = {"method", "task", "task_type", "model_names", "hyperparameters", "seed", "limit", "concurrency",
            "baselines", "data_dir", "cache_dir", "gpu_ids", "unknown_key"};
    static final String[] HYPER = {"max_response_length", "temperature", "top_p", "batch_size", "tie", "seed", "no_such"};

    /** One mutated config, as bytes (some mutations are below the JSON level). */
    static byte[] mutateConfig(SplittableRandom r) throws IOException {
        ObjectNode c = validConfig();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(5)) {
                case 0 -> c.set(TOP[r.nextInt(TOP.length)], value(r));
                case 1 -> c.remove(TOP[r.nextInt(TOP.length)]);
                case 2 -> {
                    JsonNode h = c.get("hyperparameters");
                    if (h instanceof ObjectNode ho) ho.set(HYPER[r.nextInt(HYPER.length)], value(r));
                }
                case 3 -> ((ArrayNode) (c.get("model_names") instanceof ArrayNode a ? a : c.putArray("model_names")))
                        .add(value(r).isTextual() ? value(r).asText() : "sim:c?accuracy=0.5&latency_ms=" + r.nextInt(3));
                default -> {
                    JsonNode h = c.get("hyperparameters");
                    if (h instanceof ObjectNode ho) ho.remove(HYPER[r.nextInt(HYPER.length)]);
                }
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(c);
        return byteLevel(r, bytes);
    }

    static byte[] byteLevel(SplittableRandom r, byte[] bytes) {
        switch (r.nextInt(6)) {
            case 0 -> { return java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)); }                    // truncated
            case 1 -> {                                                                                         // invalid UTF-8
                byte[] b = bytes.clone();
                b[r.nextInt(b.length)] = (byte) 0xff;
                return b;
            }
            case 2 -> {                                                                                         // a random byte
                byte[] b = bytes.clone();
                b[r.nextInt(b.length)] = (byte) r.nextInt(128);
                return b;
            }
            default -> { return bytes; }
        }
    }

    static byte[] mutateData(SplittableRandom r) throws IOException {
        ObjectNode d = (ObjectNode) JSON.readTree(DEMO_DATA.toFile());
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            String split = r.nextBoolean() ? "test" : "dev";
            switch (r.nextInt(5)) {
                case 0 -> d.set(split, value(r));
                case 1 -> d.remove(r.nextBoolean() ? split : "task_type");
                case 2 -> d.set("task_type", value(r));
                default -> {
                    if (d.get(split) instanceof ArrayNode a && !a.isEmpty() && a.get(r.nextInt(a.size())) instanceof ObjectNode ex) {
                        String[] keys = {"question", "choices", "answer", "id", "domain"};
                        String k = keys[r.nextInt(keys.length)];
                        if (r.nextBoolean()) ex.set(k, value(r)); else ex.remove(k);
                    }
                }
            }
        }
        return byteLevel(r, JSON.writeValueAsBytes(d));
    }

    record Outcome(int code, String err, boolean logWritten) {}

    static Outcome runCase(Path dir, byte[] config, byte[] data) throws IOException {
        Path cfg = dir.resolve("cfg.json");
        Files.write(cfg, config);
        if (data != null) Files.write(dir.resolve("data.json"), data);
        Path logs = dir.resolve("logs");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(new String[] {"-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-cache",
                "--no-baselines"}, new PrintWriter(out, true), new PrintWriter(err, true));
        boolean written;
        try (Stream<Path> s = Files.exists(logs) ? Files.walk(logs) : Stream.empty()) {
            written = s.anyMatch(p -> p.toString().endsWith(".json"));
        }
        return new Outcome(code, err.toString(), written);
    }

    static void check(String what, Outcome o, Map<String, Integer> tally) {
        assertTrue(o.code() == 0 || o.code() == 2, what + ": exit " + o.code() + ": " + o.err());
        if (o.code() == 2) {
            assertTrue(o.err().startsWith("moco: "), what + ": " + o.err());
            assertFalse(o.err().matches("(?s).*(\\tat |Exception\\b|Exception:|NullPointer|Error:).*"), what + ": " + o.err());
            assertTrue(o.err().length() < 3000, what + ": message of " + o.err().length() + " characters");
            assertFalse(o.logWritten(), what + ": bad input, yet a run log was written");
        } else {
            assertTrue(o.logWritten(), what + ": exit 0 without a run log");
        }
        tally.merge(o.code() == 0 ? "ran (exit 0)" : "refused (exit 2)", 1, Integer::sum);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyGeneratedConfigAndDataFileGetsAClearAnswer(@TempDir Path tmp) throws IOException {
        SplittableRandom r = new SplittableRandom(20261201);
        Map<String, Integer> configs = new TreeMap<>(), datasets = new TreeMap<>();
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < CONFIG_CASES; i++) {
            Path dir = Files.createDirectories(tmp.resolve("c" + i));
            byte[] cfg = mutateConfig(r);
            Outcome o = runCase(dir, cfg, null);
            check("config case " + i + " " + new String(cfg, 0, Math.min(cfg.length, 300), StandardCharsets.UTF_8), o, configs);
            if (o.code() == 2 && samples.size() < 5) samples.add(o.err().strip());
        }
        for (int i = 0; i < DATA_CASES; i++) {
            Path dir = Files.createDirectories(tmp.resolve("d" + i));
            ObjectNode c = validConfig();
            c.put("task", "data.json");
            c.remove("task_type");
            Outcome o = runCase(dir, JSON.writeValueAsBytes(c), mutateData(r));
            check("data case " + i, o, datasets);
        }
        System.out.println("fuzz: configs " + CONFIG_CASES + " " + configs + "; data files " + DATA_CASES + " " + datasets);
        samples.forEach(s -> System.out.println("fuzz sample message: " + s));
        assertTrue(configs.getOrDefault("refused (exit 2)", 0) > CONFIG_CASES / 3, "the generator makes mostly bad configs: " + configs);
        assertTrue(datasets.getOrDefault("refused (exit 2)", 0) > DATA_CASES / 4, "and bad data files: " + datasets);
    }
}
