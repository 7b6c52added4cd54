package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mocoj.datasets.Datasets;
import io.mocoj.eval.MocoPrompts;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-task runs, few-shot prompting, --dry-run, --list-tasks and task-name suggestions through the moco command. */
class HarnessFeaturesCliTest {
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    private static final String SIMS = "[\"sim:alpha?accuracy=0.6\", \"sim:beta?accuracy=0.7\"]";

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path write(Path dir, String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    private static List<JsonNode> logs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            ObjectMapper om = new ObjectMapper();
            return s.filter(p -> p.toString().endsWith(".json")).sorted().map(p -> {
                try {
                    return om.readTree(p.toFile());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void dryRunPrintsThePromptsCallsAndCostAndMakesNoCall(@TempDir Path tmp) throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Path cfg = write(tmp, "cfg.json", "{\"method\": \"text_majority_vote\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                    + " \"model_names\": [\"vllm:a@" + base + "?name=m1&price_in=1&price_out=2\", \"vllm:b@" + base + "?name=m2&price_in=1&price_out=2\"],"
                    + " \"hyperparameters\": {\"tie\": \"dev-based\", \"max_response_length\": 100}}");
            Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--dry-run", "--progress", "none");
            assertEquals(0, r.code(), r.err());
            assertEquals(0, requests.get(), "a dry run calls no model");
            assertFalse(Files.exists(tmp.resolve("logs")) && logsExist(tmp.resolve("logs")), "no run log is written");
            Task demo = Datasets.custom("demo_mcq").fromJson(DEMO_DATA);
            String first = MocoPrompts.multipleChoice(demo.test().get(0));
            assertTrue(r.out().contains("--- prompt 1 ---\n" + first), r.out());
            assertTrue(r.out().contains("--- prompt 2 ---\n" + MocoPrompts.multipleChoice(demo.test().get(1))), r.out());
            assertFalse(r.out().contains("--- prompt 3 ---"), "two prompts by default");
            // majority vote with dev-based ties: each model once per test example and once per dev example; baselines once per test example
            int test = demo.test().size(), dev = demo.dev().size();
            assertTrue(r.out().matches("(?s).*method \\(exact: each model once per test example, and once per dev example for the dev ranking\\):\\n"
                    + "  m1 +" + (test + dev) + "\\n  m2 +" + (test + dev) + "\\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*baselines \\(each model once per test example\\):\\n  m1 +" + test + "\\n  m2 +" + test + "\\n.*"), r.out());
            // cost: per model (test+dev + test) calls x (mean prompt chars / 4 x 1 + 100 x 2) per million
            double meanChars = demo.test().stream().mapToInt(e -> MocoPrompts.multipleChoice(e).length()).average().orElseThrow();
            double cost = 2 * (test + dev + test) * (meanChars / 4 * 1 + 100 * 2) / 1e6;
            assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "estimated cost: %.4f", cost)), r.out() + "\nexpected " + cost);
            assertTrue(r.out().contains("dry run: no model was called"), r.out());
        } finally {
            server.stop(0);
        }
    }

    private static boolean logsExist(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".json"));
        }
    }

    @Test
    void severalTasksInOneRunGiveARowPerTaskAndTheMacroAverage(@TempDir Path tmp) throws IOException {
        Path second = tmp.resolve("demo_copy.json");
        Files.copy(DEMO_DATA, second);
        Path cfg = write(tmp, "cfg.json", "{\"method\": \"text_majority_vote\", \"task\": [\"" + DEMO_DATA.toString().replace("\\", "/")
                + "\", \"demo_copy.json\"], \"limit\": 10, \"model_names\": " + SIMS + "}");
        Path logDir = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logDir.toString(), "--progress", "none", "--no-baselines");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("== demo_mcq =="), r.out());
        assertTrue(r.out().contains("== demo_copy =="), r.out());
        List<JsonNode> logs = logs(logDir);
        assertEquals(2, logs.size(), "one run log per task");
        double a = logs.get(0).get("summary").get("mean").asDouble(), b = logs.get(1).get("summary").get("mean").asDouble();
        String macro = r.out().lines().filter(l -> l.startsWith("macro average")).findFirst().orElseThrow();
        assertTrue(macro.contains(String.format(java.util.Locale.ROOT, "%.4f", (a + b) / 2)), macro + " vs " + a + ", " + b);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("demo_copy ") && l.contains("multiple_choice")), r.out());
    }

    @Test
    void fewShotPromptsComeFromTheDevSplitAndAreRecordedInTheLog(@TempDir Path tmp) throws IOException {
        Path cfg = write(tmp, "cfg.json", "{\"method\": \"text_majority_vote\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/")
                + "\", \"limit\": 3, \"num_fewshot\": 2, \"seed\": 11, \"model_names\": " + SIMS + "}");
        Path logDir = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logDir.toString(), "--progress", "none", "--no-baselines");
        assertEquals(0, r.code(), r.err());
        JsonNode log = logs(logDir).get(0);
        JsonNode fs = log.get("fewShot");
        assertEquals(2, fs.get("numFewshot").asInt());
        assertEquals(11, fs.get("seed").asLong());
        Task demo = Datasets.custom("demo_mcq").fromJson(DEMO_DATA);
        // the seeded selection: a shuffle of the dev indices with java.util.Random(11), first two
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, demo.dev().size()).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(11));
        Example s1 = demo.dev().get(order.get(0)), s2 = demo.dev().get(order.get(1));
        assertEquals(List.of(s1.id(), s2.id()), List.of(fs.get("devIds").get(0).asText(), fs.get("devIds").get(1).asText()));
        String expected = MocoPrompts.multipleChoice(s1) + "\n" + s1.answer() + "\n\n" + MocoPrompts.multipleChoice(s2) + "\n" + s2.answer()
                + "\n\n" + MocoPrompts.multipleChoice(demo.test().get(0));
        assertEquals(expected, log.get("examples").get(0).get("prompt").asText());
    }

    @Test
    void fewShotOnATaskWithoutShortAnswersIsAConfigError(@TempDir Path tmp) throws IOException {
        Path data = write(tmp, "chat.json", "{\"task_type\": \"reward_model\", \"dev\": [{\"id\": 1, \"input\": \"hi\"}], \"test\": [{\"id\": 2, \"input\": \"yo\"}]}");
        Path cfg = write(tmp, "cfg.json", "{\"method\": \"text_majority_vote\", \"task\": \"chat.json\", \"num_fewshot\": 1, \"model_names\": " + SIMS + "}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--progress", "none");
        assertEquals(2, r.code(), r.out());
        assertTrue(Files.isRegularFile(data));
    }

    @Test
    void listTasksShowsSizesAndWhatEachNeeds() {
        Result r = run("--list-tasks");
        assertEquals(0, r.code());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("gsm8k +exact_match +200 +1000 +- +pinned commit, SHA-256 checked")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("ifeval +ifeval +250 +250 +- +newer, commit ada56a47, SHA-256 checked")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("smdd +smdd +\\? +\\? +rdkit +newer, commit 903b740b, hash unpinned \\(shape checked\\)")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("kernelbench +kernel_bench +\\? +\\? +gpu .*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("alpacaeval +reward_model +2000 +1000 +judge .*")), r.out());
    }

    @Test
    void aMisspelledTaskGetsASuggestion(@TempDir Path tmp) throws IOException {
        Path cfg = write(tmp, "cfg.json", "{\"method\": \"text_majority_vote\", \"task\": \"mmlu_redx\", \"model_names\": " + SIMS + "}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown dataset 'mmlu_redx' (did you mean 'mmlu_redux'?)"), r.err());
    }

    @Test
    void plannedCallsMatchWhatTheMethodsDo(@TempDir Path tmp) throws IOException {
        String data = DEMO_DATA.toString().replace("\\", "/");
        String sims = "[\"sim:a?accuracy=0.5\", \"sim:b?accuracy=0.6\", \"sim:c?accuracy=0.8\"]";
        for (String[] c : new String[][] {
                {"text_majority_vote", "{\"tie\": \"dev-based\"}", "exact"},
                {"api_cascade", "{\"mode\": \"just_ask\"}", "bound"},
                {"api_cascade", "{\"mode\": \"logit\"}", "bound"}}) {
            Path cfg = write(tmp, "cfg.json", "{\"method\": \"" + c[0] + "\", \"task\": \"" + data + "\", \"limit\": 12, \"model_names\": "
                    + sims + ", \"hyperparameters\": " + c[1] + "}");
            io.mocoj.config.MocoConfig config = io.mocoj.config.MocoConfig.read(cfg);
            io.mocoj.Run run = io.mocoj.config.ConfigRuns.toBuilder(config, new MocoCli()::loadTask).baselines(false).build();
            io.mocoj.method.CallPlan plan = run.dryRun(0).methodCalls().orElseThrow();
            assertEquals(c[2].equals("exact"), plan.exact(), c[0]);
            io.mocoj.RunReport report = run.execute();
            for (io.mocoj.RunReport.ModelUsage u : report.summary().usage()) {
                long planned = plan.callsPerModel().get(u.model());
                if (plan.exact()) assertEquals(planned, u.calls(), c[0] + " " + u.model());
                else assertTrue(u.calls() <= planned, c[0] + " " + c[1] + " " + u.model() + ": " + u.calls() + " > " + planned);
            }
        }
    }
}
