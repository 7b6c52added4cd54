package io.mocoj.eval;

import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Hostile code must be contained, scored 0, and leave nothing behind. */
class CodeSandboxTest {
    private static CodeSandbox sandbox;
    private static CodingEvaluator coding;
    /** For the cases the wall clock must stop: a CPU limit far above it, so the timeout always comes first. */
    private static CodeSandbox shortSandbox;
    private static CodingEvaluator shortTimeout;
    private static final String CANARY = "canary-7f3a9c-not-a-real-secret";

    @BeforeAll
    static void setUp() {
        try {
            // a generous wall clock: on a loaded machine a memory bomb or a slow start must not end as a time-out
            sandbox = CodeSandbox.builder().timeout(Duration.ofSeconds(30)).cpuSeconds(4).maxParallel(2).build();
            shortSandbox = CodeSandbox.builder().timeout(Duration.ofSeconds(3)).cpuSeconds(60).maxParallel(2).build();
            shortTimeout = new CodingEvaluator(shortSandbox);
        } catch (IllegalStateException e) {
            assumeTrue(false, "python3 not available: " + e.getMessage());
        }
        coding = new CodingEvaluator(sandbox);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (sandbox == null) return;
        for (CodeSandbox s : List.of(sandbox, shortSandbox)) {
            try (var left = Files.list(s.baseDir())) {
                assertEquals(List.of(), left.toList(), "every run directory is removed");
            }
            s.cleanUp();
            assertFalse(Files.exists(s.baseDir()));
        }
    }

    /** A test whose check passes only when the candidate returns True: hostile code decides by side effects. */
    private static Example example(String test) {
        return new Example("t", "task", Map.of(), List.of(), Map.of("test", test));
    }

    private static final String CHECK_TRUE = "def check(candidate):\n    assert candidate() is True\n";

    private static Score runHostile(String body) {
        return runHostile(coding, body);
    }

    private static Score runHostile(CodingEvaluator evaluator, String body) {
        String response = "```python\ndef attack():\n" + body.indent(4) + "    return True\n```";
        return evaluator.score(example(CHECK_TRUE), response);
    }

    private static void assertNoSolutionProcessesLeft() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            boolean any = ProcessHandle.allProcesses().anyMatch(ph ->
                    ph.info().commandLine().map(c -> c.contains("solution.py") || c.contains("sandbox_launcher")).orElse(false));
            if (!any) return;
            Thread.sleep(100);
        }
        throw new AssertionError("sandboxed processes still running");
    }

    @Test
    void correctSolutionPassesAndWrongOneFails() {
        String test = "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n";
        Score ok = coding.score(example(test), "Here:\n```\nprint('x')\n```\nbetter:\n```python\ndef add(a, b):\n    return a + b\n```\n");
        assertEquals(1.0, ok.value(), ok.detail());
        Score wrong = coding.score(example(test), "```python\ndef add(a, b):\n    return a - b\n```");
        assertEquals(0.0, wrong.value());
        assertTrue(wrong.detail().contains("AssertionError"), wrong.detail());
        assertEquals(0.0, coding.score(example(test), "no code here").value());
    }

    @Test
    void lastFenceWinsAndPythonFencePreferred() {
        assertEquals("b = 2", CodingEvaluator.extractCode("```python\na = 1\n```\n```python\nb = 2\n```\n```\nc = 3\n```"));
        assertEquals("c = 3", CodingEvaluator.extractCode("```js\nx\n```\n```\nc = 3\n```"));
        assertEquals("d = 4", CodingEvaluator.extractCode("  d = 4  "));
        assertEquals("def f(x):\n    pass\n\ncandidate = f\n\nT\n\ncheck(candidate)\n", CodingEvaluator.program("def f(x):\n    pass", "T"));
    }

    @Test
    void infiniteLoopIsKilledAtTheTimeout() throws Exception {
        Score s = runHostile(shortTimeout, "while True:\n    pass");
        assertEquals(0.0, s.value());
        assertTrue(s.detail().startsWith("timed out"), s.detail());
        assertNoSolutionProcessesLeft();
    }

    @Test
    void forkBombIsContained() throws Exception {
        long before = ProcessHandle.allProcesses().count();
        Score s = runHostile(shortTimeout, "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass");
        assertEquals(0.0, s.value());
        assertNoSolutionProcessesLeft();
        assertTrue(ProcessHandle.allProcesses().count() < before + 20, "no stray processes");
    }

    @Test
    void orphanedChildDiesWithTheRun() throws Exception {
        // the parent exits at once (and passes); its child would sleep for 10 minutes
        Score s = coding.score(example("def check(candidate):\n    assert candidate()\n"),
                "```python\nimport os, time\ndef go():\n    if os.fork() == 0:\n        time.sleep(600)\n        os._exit(0)\n    return True\n```");
        assertEquals(1.0, s.value(), s.detail());
        assertNoSolutionProcessesLeft();
    }

    @Test
    void memoryBombFails() {
        Score s = runHostile("chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))");
        assertEquals(0.0, s.value());
        assertTrue(s.detail().contains("MemoryError"), s.detail());
    }

    @Test
    void cannotWriteOutsideItsDirectory() {
        assumeTrue(sandbox.namespacesAvailable(), "namespaces unavailable: the read-only file system is not in force");
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "mocoj-escape-" + UUID.randomUUID());
        Path home = Path.of(System.getProperty("user.dir"), "target", "mocoj-escape-" + UUID.randomUUID());
        Score s = runHostile("ok = False\nfor p in [" + pyString(target) + ", " + pyString(home) + ", '/dev/shm/mocoj-escape']:\n"
                + "    try:\n        open(p, 'w').write('x')\n        ok = True\n    except OSError:\n        pass\nif not ok:\n    raise SystemExit(3)");
        assertEquals(0.0, s.value(), s.detail());
        assertTrue(s.detail().startsWith("exit 3"), "every write was refused: " + s.detail());
        assertTrue(s.detail().contains("namespaces(ipc,net,mount,pid)"), s.detail());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(home));
        assertFalse(Files.exists(Path.of("/dev/shm/mocoj-escape")));
    }

    @Test
    void holdsNoCapabilitiesAndCannotRemountWritable() {
        assumeTrue(sandbox.namespacesAvailable(), "namespaces unavailable");
        Score s = runHostile("import ctypes\n"
                + "caps = open('/proc/self/status').read().split('CapEff:')[1].split()[0]\n"
                + "libc = ctypes.CDLL(None, use_errno=True)\n"
                + "if int(caps, 16) == 0 and libc.mount(b'none', b'/', None, 32 | 4096, None) != 0:\n"
                + "    raise SystemExit(3)");
        assertEquals(0.0, s.value(), s.detail());
        assertTrue(s.detail().startsWith("exit 3"), "no capability and remount refused: " + s.detail());
    }

    @Test
    void writingInsideItsDirectoryWorksAndFileSizeIsLimited() {
        assertEquals(1.0, runHostile("open('scratch.txt', 'w').write('hello')\nassert open('scratch.txt').read() == 'hello'").value());
        Score big = runHostile("with open('big.bin', 'wb') as f:\n    f.write(b'0' * (20 * 1024 * 1024))");
        assertEquals(0.0, big.value(), big.detail());
    }

    @Test
    void environmentHoldsNoSecrets() {
        String check = "import os, glob\nfound = any('" + CANARY + "' in v for v in os.environ.values())\n"
                + "for p in glob.glob('/proc/*/environ'):\n    try:\n        found = found or b'" + CANARY + "' in open(p, 'rb').read()\n"
                + "    except OSError:\n        pass\n"
                + "print(sorted(os.environ))\nif not found:\n    raise SystemExit(3)";
        Score s = runHostile(check);
        assertEquals(0.0, s.value(), "the canary from the test JVM's environment must be invisible: " + s.detail());
        assertTrue(s.detail().startsWith("exit 3"), s.detail());
        assertTrue(System.getenv("MOCOJ_SANDBOX_CANARY") != null, "surefire sets the canary, so this test is meaningful");
        SandboxResult env = sandbox.run("import os\nprint(sorted(os.environ))");
        assertFalse(env.stdout().contains("MOCOJ"), env.stdout());
        assertTrue(env.stdout().contains("'HOME'") && !env.stdout().contains("JAVA_HOME"), env.stdout());
    }

    @Test
    void cannotOpenASocket() throws Exception {
        assumeTrue(sandbox.namespacesAvailable(), "namespaces unavailable: no network isolation");
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(200);
            AtomicBoolean accepted = new AtomicBoolean();
            AtomicBoolean done = new AtomicBoolean();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 40 && !accepted.get() && !done.get(); i++) {
                    try (var c = server.accept()) {
                        accepted.set(true);
                    } catch (SocketTimeoutException e) {
                        // keep waiting, bounded
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Score s = runHostile("import socket\nsocket.create_connection(('127.0.0.1', " + server.getLocalPort() + "), timeout=2).close()");
            done.set(true);
            acceptor.join();
            assertEquals(0.0, s.value(), s.detail());
            assertTrue(s.detail().contains("OSError") || s.detail().contains("Error"), s.detail());
            assertFalse(accepted.get(), "the host's loopback server was reached");
        }
    }

    @Test
    void parallelScoringKeepsOrder() {
        String test = "def check(candidate):\n    assert candidate() == EXPECTED\n";
        List<Example> examples = List.of(example("EXPECTED = 1\n" + test), example("EXPECTED = 2\n" + test), example("EXPECTED = 3\n" + test));
        List<String> responses = java.util.Arrays.asList("```python\ndef f():\n    return 1\n```", "```python\ndef f():\n    return 3\n```", null);
        List<Score> scores = coding.scoreAll(examples, responses);
        assertEquals(List.of(1.0, 0.0, 0.0), scores.stream().map(Score::value).toList());
    }

    @Test
    void missingInterpreterIsOneClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CodeSandbox.builder().python("/nonexistent/python3").build());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("/nonexistent/python3"), e.getMessage());
    }

    private static String pyString(Path p) { return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'"; }
}
