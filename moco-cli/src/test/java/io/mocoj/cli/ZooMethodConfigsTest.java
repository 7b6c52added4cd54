package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.method.MethodRegistry;
import io.mocoj.zoo.Zoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled zoo config ({@code examples/configs/zoo/<method>.json}) runs through the command
 * line entry point as {@code ./moco -c} does, on real zoo models, at a test-size limit: exit 0, a
 * score for the method, the comparison with the best single model, no failed example, no lost
 * call or vote. A registered method without a config (or without a line in the folder's README
 * saying why it cannot run on the zoo) fails {@link #everyRegisteredMethodHasAZooConfig()}.
 */
class ZooMethodConfigsTest {
    static final Path DIR = Path.of("../examples/configs/zoo").toAbsolutePath().normalize();
    /** Examples of each split per run: enough for a dev ranking and a paired comparison, small enough for CI. */
    static final int LIMIT = 3;
    /**
     * Methods whose prompts need more context than the first shipped zoo's 256 tokens: text_bbmas's
     * action prompt is 383 tokens before anything is on the board. They run once the shipped models hold it.
     */
    static final Map<String, Integer> MIN_CONTEXT = Map.of("text_bbmas", 512);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);

    static List<Path> configs() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Methods the README lists as not runnable on the zoo: lines {@code - `name`: why}. */
    static Set<String> documentedExceptions() throws IOException {
        Path readme = DIR.resolve("README.md");
        Set<String> out = new TreeSet<>();
        if (!Files.exists(readme)) return out;
        Matcher m = Pattern.compile("(?m)^- `([a-z_]+)`: \\S").matcher(Files.readString(readme));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void everyRegisteredMethodHasAZooConfig() throws IOException {
        Set<String> covered = new TreeSet<>(documentedExceptions());
        for (Path p : configs()) {
            String name = p.getFileName().toString().replace(".json", "");
            JsonNode cfg = JSON.readTree(Files.readString(p));
            assertEquals(name, cfg.get("method").asText(), p + " is named after another method than it runs");
            for (JsonNode spec : cfg.get("model_names")) assertTrue(spec.asText().startsWith("zoo:"), p + ": not a zoo model: " + spec);
            assertTrue(covered.add(name), name + " has a config and is also listed in the README as not runnable");
        }
        Set<String> missing = new TreeSet<>(MethodRegistry.all().keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "registered methods without a zoo config in " + DIR + " (add <method>.json, or say in its"
                + " README why the method cannot run on the zoo): " + missing);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(MethodRegistry.all().keySet());
        assertTrue(unknown.isEmpty(), "zoo configs or README lines for methods that are not registered: " + unknown);
    }

    @TestFactory
    Stream<DynamicTest> everyZooConfigRunsThroughTheCommandLine(@TempDir Path tmp) throws IOException {
        return configs().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> runs(p, tmp)));
    }

    private static void runs(Path config, Path tmp) throws IOException {
        String method = config.getFileName().toString().replace(".json", "");
        if (MIN_CONTEXT.containsKey(method)) {
            int context;
            try (LocalModel base = Zoo.shipped().load("base", 1)) {
                context = base.contextLength();
            }
            Assumptions.assumeTrue(context >= MIN_CONTEXT.get(method), method + " needs a " + MIN_CONTEXT.get(method)
                    + "-token context; the shipped zoo's models hold " + context);
        }
        Path logs = tmp.resolve(method);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(new String[] {"-c", config.toString(), "-l", logs.toString(), "--progress", "none",
                "--limit", String.valueOf(LIMIT), "--no-cache"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, method + ": " + err + out);
        assertFalse(out.toString().contains("SIMULATED"), out.toString());
        assertTrue(out.toString().contains("method - best single model ("), method + ": no comparison row in\n" + out);
        List<Path> written;
        try (Stream<Path> s = Files.list(logs)) {
            written = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(1, written.size(), method + ": run logs " + written);
        JsonNode log = JSON.readTree(written.get(0).toFile());
        assertEquals(method, log.get("method").asText());
        assertEquals("ok", log.get("status").asText(), method);
        JsonNode summary = log.get("summary");
        assertEquals(LIMIT, summary.get("n").asInt(), method);
        assertEquals(LIMIT, summary.get("scored").asInt(), method + ": every example has a score");
        assertEquals(0, summary.get("failed").asInt(), method + ": failed examples");
        assertEquals(0, summary.get("lostVotes").asInt(), method + ": lost votes");
        double mean = summary.get("mean").asDouble(Double.NaN);
        assertTrue(mean >= 0 && mean <= 1, method + ": score " + mean);
        for (JsonNode u : summary.get("usage")) assertEquals(0, u.get("failedCalls").asInt(), method + ": lost calls of " + u);
        for (JsonNode m : log.get("models")) assertFalse(m.get("simulated").asBoolean(), m.toString());
        JsonNode comparison = log.get("comparison");
        assertTrue(comparison != null && !comparison.isNull(), method + ": no comparison with the best single model");
        assertEquals(LIMIT, comparison.get("pairs").asInt(), method);
        assertEquals(log.get("models").size(), log.get("baselines").size(), method + ": every pool model alone");
    }
}
