package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #8's bad-input cases through the real command: each gets one clear message (what, where,
 * what to do), exit code 2, nothing written, and no stack trace or exception class name.
 */
class BadInputTest {
    static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static String config(String hyper) {
        return "{\"method\": \"text_majority_vote\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                + " \"model_names\": [\"sim:a?accuracy=0.6\", \"sim:b?accuracy=0.7\"], \"hyperparameters\": {" + hyper + "}}";
    }

    static Result runConfig(Path dir, String json, String... extra) throws IOException {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, json);
        String[] args = Stream.concat(Stream.of("-c", cfg.toString(), "-l", dir.resolve("logs").toString(), "--progress", "none"),
                Stream.of(extra)).toArray(String[]::new);
        return run(args);
    }

    static void assertBadInput(Result r, Path dir, String... mustContain) throws IOException {
        assertEquals(2, r.code(), "exit code 2 for bad input: " + r.err());
        for (String s : mustContain) assertTrue(r.err().contains(s), "message names '" + s + "': " + r.err());
        assertFalse(r.err().matches("(?s).*(Exception|\\tat |Error:).*"), "no exception class or stack trace: " + r.err());
        assertTrue(r.err().length() < 3000, "message is capped: " + r.err().length());
        if (dir != null && Files.exists(dir.resolve("logs"))) {
            try (Stream<Path> s = Files.walk(dir.resolve("logs"))) {
                assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "nothing written");
            }
        }
    }

    @Test
    void integersAreParsedExactlyAndRangesNamed(@TempDir Path dir) throws IOException {
        assertBadInput(runConfig(dir, config("\"max_response_length\": 4294967297")), dir,
                "max_response_length", "4294967297", "[1, 2147483647]");
        assertBadInput(runConfig(dir, config("\"batch_size\": 4294967296")), dir, "batch_size", "4294967296");
        assertBadInput(runConfig(dir, config("\"max_response_length\": 1e300")), dir, "max_response_length", "1.00000e+300");
        assertBadInput(runConfig(dir, config("\"max_response_length\": 12.5")), dir, "max_response_length", "12.5", "whole number");
        assertBadInput(runConfig(dir, config("\"temperature\": 1e999")), dir, "temperature");
        assertBadInput(runConfig(dir, config("").replace("}}", "}, \"seed\": 99999999999999999999999}")), dir, "seed",
                "99999999999999999999999", "[-9223372036854775808, 9223372036854775807]");
        assertBadInput(runConfig(dir, config("").replace("}}", "}, \"limit\": 1e10}")), dir, "limit");
        assertBadInput(runConfig(dir, config("\"tie\": \"dev-based\", \"max_response_length\": -5")), dir, "max_response_length", "-5");
        assertBadInput(runConfig(dir, config("").replace("sim:a?accuracy=0.6", "openai:m@http://127.0.0.1:1/v1?timeout=1e300")), dir,
                "timeout", "1e300", "86400");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nonRegularAndHugeConfigFilesAreRefusedQuickly(@TempDir Path dir) throws Exception {
        assertBadInput(run("-c", "/dev/zero"), null, "/dev/zero", "a character device");
        assertBadInput(run("-c", dir.toString()), null, "a folder");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertBadInput(run("-c", fifo.toString()), null, "named pipe");
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"method\": \"" + "x".repeat(2 << 20) + "\"}");
        assertBadInput(run("-c", big.toString()), null, "larger than 1 MiB");
        Path bad = dir.resolve("latin1.json");
        Files.write(bad, ("{\"method\": \"caf\u00e9\"}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertBadInput(run("-c", bad.toString()), null, "not valid UTF-8", "byte 16", "line 1", "0xe9");
    }

    @Test
    void pathsAreDescribedByWhatTheyAre(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("a-folder.json"));
        assertBadInput(runConfig(dir, config("").replace(DEMO_DATA.toString(), folder.toString())), dir, "is a folder");
        assertBadInput(runConfig(dir, config("").replace(DEMO_DATA.toString(), "/dev/zero")), dir, "a character device");
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        String named = "{\"method\": \"text_majority_vote\", \"task\": \"agieval_tiny\", \"model_names\": [\"sim:a\"], \"data_dir\": \""
                + file + "\"}";
        assertBadInput(runConfig(dir, named), dir, "not-a-dir", "a regular file, not a folder");
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(dataDir.resolve("agieval_tiny.json"), Path.of("/dev/null"));
        assertBadInput(runConfig(dir, named.replace(file.toString(), dataDir.toString())), dir, "a character device", "not a regular file");
    }

    @Test
    void emptyTestSplitIsRefusedBeforeRunning(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("empty.json"), "{\"task_type\": \"multiple_choice\", \"dev\": [], \"test\": []}");
        Result r = runConfig(dir, config("").replace(DEMO_DATA.toString(), data.toString()));
        assertBadInput(r, dir, "no test examples");
    }

    @Test
    void uncreatableDirectoriesAndLongNamesAreExplained(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path cfg = Files.writeString(dir.resolve("cfg.json"), config(""));
        Result logUnder = run("-c", cfg.toString(), "-l", file.resolve("logs").toString(), "--progress", "none");
        assertBadInput(logUnder, null, "log directory", file.toString());
        assertFalse(logUnder.err().contains(".cache"), "a bad -l names the log directory, not the cache: " + logUnder.err());
        Result cache = run("-c", cfg.toString(), "-l", dir.resolve("logs").toString(), "--cache-dir", file.resolve("c").toString(),
                "--progress", "none");
        assertBadInput(cache, null, "cache directory", file.toString());
        String longName = "t".repeat(230) + ".json";
        Path longData = dir.resolve(longName);
        Files.copy(DEMO_DATA, longData);
        Result r = runConfig(dir, config("").replace(DEMO_DATA.toString(), longData.toString()));
        assertBadInput(r, dir, "longer than 200 bytes", "Rename");
        assertFalse(Files.exists(dir.resolve("logs").resolve(".cache")), "nothing was created before the refusal");
    }

    @Test
    void malformedUrlsAndHugeNamesGetShortClearMessages(@TempDir Path dir) throws IOException {
        Result url = runConfig(dir, config("").replace("sim:a?accuracy=0.6", "openai:gpt-4o@http//no-colon"));
        assertBadInput(url, dir, "base URL", "http://");
        assertFalse(url.err().contains("OPENAI_API_KEY"), url.err());
        Result spaces = runConfig(dir, config("").replace("sim:a?accuracy=0.6", "openai:gpt-4o@http://bad host/v1"));
        assertBadInput(spaces, dir, "not a valid URL");
        String huge = "m".repeat(600_000);
        Result name = runConfig(dir, config("").replace("text_majority_vote", huge));
        assertBadInput(name, dir, "unknown method", "600000 characters");
    }

    @Test
    void datasetFormatErrorsAreBadInputToo(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("broken.json"), "{\"test\": [{\"no_input_key\": 1}]}");
        Result r = runConfig(dir, config("").replace(DEMO_DATA.toString(), data.toString()));
        assertEquals(2, r.code(), r.err());
    }
}
