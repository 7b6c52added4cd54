package io.mocoj.eval;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pass line is the last thing a correct run writes, so it is the first thing lost when output is
 * not read to its end. Here the output readers start late on purpose (as they do on a loaded
 * machine, when the process tree has long exited before they run): every correct program must
 * still pass with its output whole, and every program that does not let the harness write its
 * proof must still fail.
 */
class SandboxOutputDrainTest {
    private static final Duration LATE = Duration.ofMillis(400);
    private static CodeSandbox isolated;
    private static CodeSandbox limitsOnly;

    @BeforeAll
    static void setUp() {
        try {
            isolated = CodeSandbox.builder().timeout(Duration.ofSeconds(30)).cpuSeconds(8).maxParallel(2).readerDelay(LATE).build();
            limitsOnly = CodeSandbox.builder().timeout(Duration.ofSeconds(30)).cpuSeconds(8).maxParallel(2).readerDelay(LATE)
                    .useNamespaces(false).build();
        } catch (IllegalStateException e) {
            assumeTrue(false, "python3 not available: " + e.getMessage());
        }
    }

    @AfterAll
    static void tearDown() {
        if (isolated != null) isolated.cleanUp();
        if (limitsOnly != null) limitsOnly.cleanUp();
    }

    private static List<CodeSandbox> both() { return List.of(isolated, limitsOnly); }

    @Test
    void lateReadersStillSeeTheWholeOutputOfACorrectProgram() {
        for (CodeSandbox s : both()) {
            SandboxResult r = s.run("print('hello')\nimport sys\nsys.stderr.write('note\\n')\nassert 1 + 1 == 2\n");
            assertEquals(SandboxResult.Outcome.PASSED, r.outcome(), s.namespacesAvailable() + ": " + r);
            assertEquals("hello\n", r.stdout());
            assertEquals("note\n", r.stderr());
        }
    }

    @Test
    void largeOutputBeforeTheProofIsReadToTheEnd() {
        // 1 MiB: far more than a pipe holds, so the program blocks until the (late) reader drains it
        for (CodeSandbox s : both()) {
            SandboxResult r = s.run("import sys\nfor i in range(16384):\n    sys.stdout.write('%063d\\n' % i)\nassert True\n");
            assertEquals(SandboxResult.Outcome.PASSED, r.outcome(), s.namespacesAvailable() + ": " + r.outcome() + " " + r.stderr());
            assertTrue(r.stdout().startsWith("0".repeat(63) + "\n"), "the head is kept");
            assertTrue(r.stdout().endsWith("[output truncated]"), "and marked as cut");
        }
    }

    @Test
    void aChildThatKeepsThePipeOpenDoesNotCostACorrectProgramItsPass() {
        // the child inherits stdout and would outlive the harness (and the 30 s reader wait); the sandbox ends it,
        // so the readers reach the end of the stream and the pass stays proven
        String code = "import os, time\nif os.fork() == 0:\n    time.sleep(600)\n    os._exit(0)\nassert 2 * 2 == 4\n";
        for (CodeSandbox s : both()) {
            SandboxResult r = s.run(code);
            assertEquals(SandboxResult.Outcome.PASSED, r.outcome(), s.namespacesAvailable() + ": " + r);
        }
    }

    @Test
    void withLateReadersAProgramThatKeepsTheHarnessFromItsProofStillFails() {
        List<String> hostile = List.of(
                "import os\nos.close(1)\n",                                               // no stdout for the pass line
                "import os\nfd = os.open('out', os.O_WRONLY | os.O_CREAT)\nos.dup2(fd, 1)\n", // pass line goes to a file
                "import os\nos.write(1, b'\\nmocoj-sandbox-pass:' + b'f' * 32 + b'\\n')\nos._exit(0)\n",  // forged
                "import os, sys\nsys.stdout.write('x')\nos._exit(0)\n",                  // exit 0 before the tests end
                "import os, time\nif os.fork() == 0:\n    time.sleep(0.3)\n    os.write(1, b'after')\n    os._exit(0)\n"
                        + "time.sleep(0.1)\nassert False\n");                             // a child writes on after a failure
        for (CodeSandbox s : both()) {
            for (String code : hostile) {
                SandboxResult r = s.run(code);
                assertFalse(r.passed(), s.namespacesAvailable() + " " + code + ": " + r);
                assertEquals(SandboxResult.Outcome.FAILED, r.outcome(), code + ": " + r);
            }
        }
    }
}
