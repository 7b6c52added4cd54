package io.mocoj.eval;

import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hostile programs of issue #8 that the first sandbox did not contain: each must score 0 (or
 * be refused), leave nothing behind and reach nothing of the host. Every case runs both with
 * namespaces (when available) and in the reduced limits-only mode where the case applies there.
 */
class HostileProgramsTest {
    private static CodeSandbox isolated;
    private static CodeSandbox limitsOnly;
    private static final String CHECK_TRUE = "def check(candidate):\n    assert candidate() is True\n";
    private static final String CHECK_FAILS = "def check(candidate):\n    assert candidate() == 'never'\n";

    @BeforeAll
    static void setUp() {
        try {
            isolated = CodeSandbox.builder().timeout(Duration.ofSeconds(30)).cpuSeconds(5).maxParallel(2)
                    .diskBytes(16L << 20).fileSizeBytes(5L << 20).build();
            limitsOnly = CodeSandbox.builder().timeout(Duration.ofSeconds(30)).cpuSeconds(5).maxParallel(2)
                    .diskBytes(16L << 20).fileSizeBytes(5L << 20).useNamespaces(false).build();
        } catch (IllegalStateException e) {
            assumeTrue(false, "python3 not available: " + e.getMessage());
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            if (s == null) continue;
            try (var left = Files.list(s.baseDir())) {
                assertEquals(List.of(), left.toList(), "every run directory is removed");
            }
            s.cleanUp();
        }
    }

    private static Example example(String test) {
        return new Example("t", "task", Map.of(), List.of(), Map.of("test", test));
    }

    private static Score score(CodeSandbox sandbox, String test, String code) {
        return new CodingEvaluator(sandbox).score(example(test), "```python\n" + code + "\n```");
    }

    /** Wrong code (check fails) that tries to end the process "successfully" before the tests run. */
    private static void assertWrongCodeScoresZero(String name, String code) {
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            Score sc = score(s, CHECK_FAILS, code);
            assertEquals(0.0, sc.value(), name + " [" + s.namespacesAvailable() + "]: " + sc.detail());
            assertFalse(sc.failed(), name + ": a wrong answer is a 0, never a failed (left-out) score: " + sc.detail());
        }
    }

    @Test
    void exitZeroBeforeTheTestsIsNotAPass() {
        assertWrongCodeScoresZero("os._exit(0)", "import os\ndef f():\n    return 1\nos._exit(0)");
        assertWrongCodeScoresZero("sys.exit(0)", "import sys\ndef f():\n    return 1\nsys.exit(0)");
        assertWrongCodeScoresZero("atexit os._exit", "import atexit, os\natexit.register(lambda: os._exit(0))\ndef f():\n    return 1");
    }

    @Test
    void exceptHookIsNotAPass() {
        assertWrongCodeScoresZero("excepthook", "import sys, os\nsys.excepthook = lambda *a: os._exit(0)\ndef f():\n    return 1");
        assertWrongCodeScoresZero("excepthook quiet", "import sys\nsys.excepthook = lambda *a: None\ndef f():\n    return 1");
    }

    @Test
    void parentExitingWhileAChildGoesOnIsNotAPass() {
        assertWrongCodeScoresZero("fork and exit", "import os, time\ndef f():\n    return 1\nif os.fork() != 0:\n    os._exit(0)\ntime.sleep(0.5)");
    }

    @Test
    void printedPassLinesAndForgedSetupErrorsAreNotBelieved() {
        assertWrongCodeScoresZero("fake pass line", "import os\ndef f():\n    return 1\n"
                + "os.write(1, b'\\nmocoj-sandbox-pass:' + b'0' * 32 + b'\\n')\nos._exit(0)");
        assertWrongCodeScoresZero("forged setup error", "import sys, os\ndef f():\n    return 1\n"
                + "sys.stderr.write('" + SandboxResult.SETUP_ERROR_MARKER + " OSError: nothing\\n')\nsys.stderr.flush()\nos._exit(97)");
        assertWrongCodeScoresZero("forged setup error with a guessed nonce", "import sys, os\ndef f():\n    return 1\n"
                + "sys.stderr.write('" + SandboxResult.SETUP_ERROR_MARKER + "00000000000000000000000000000000: OSError: x\\n')\nos._exit(97)");
        // and correct code still passes, its own output intact
        SandboxResult r = isolated.run("print('hello')\nassert 1 + 1 == 2\n");
        assertTrue(r.passed(), r.toString());
        assertEquals("hello\n", r.stdout());
    }

    @Test
    void nonceIsNotInArgumentsEnvironmentOrFiles() {
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            // with namespaces every process the code can see is its own; without, only its own and its parent's are looked at
            String procs = s.namespacesAvailable() ? "glob.glob('/proc/*/cmdline') + glob.glob('/proc/*/environ')"
                    : "['/proc/self/cmdline', '/proc/self/environ', '/proc/%d/cmdline' % os.getppid()]";
            String probe = "import os, sys, glob\nseen = ' '.join(sys.argv) + ' '.join(os.environ.values())\n"
                    + "for p in " + procs + " + glob.glob('*'):\n"
                    + "    try:\n        seen += open(p, 'rb').read().decode('latin-1')\n    except OSError:\n        pass\n"
                    + "import re\nprint(sorted(set(re.findall(r'[0-9a-f]{32}', seen))))\n";
            SandboxResult r = s.run(probe);
            assertTrue(r.passed(), r.toString());
            assertEquals("[]\n", r.stdout(), "no 32-hex-digit token is visible to the code");
        }
    }

    @Test
    void ipcObjectsDoNotOutliveTheRun() {
        assumeTrue(isolated.namespacesAvailable(), "no IPC namespace here");
        String key = "0x4d6f" + String.format("%04x", (int) (Math.random() * 0xffff));
        String create = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                + "shm = libc.shmget(" + key + ", 4096, 0o1666)\nassert shm >= 0, os.strerror(ctypes.get_errno())\n"
                + "msq = libc.msgget(" + key + ", 0o1666)\nassert msq >= 0\n"
                + "sem = libc.semget(" + key + ", 1, 0o1666)\nassert sem >= 0\n"
                + "rt = ctypes.CDLL('librt.so.1', use_errno=True)\nrt.mq_open.restype = ctypes.c_int\n"
                + "mq = rt.mq_open(b'/mocoj-hostile', 0o100 | 2, 0o666, None)\nassert mq >= 0, os.strerror(ctypes.get_errno())\n";
        String find = "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nrt = ctypes.CDLL('librt.so.1', use_errno=True)\n"
                + "found = [libc.shmget(" + key + ", 0, 0) >= 0, libc.msgget(" + key + ", 0) >= 0, libc.semget(" + key + ", 0, 0) >= 0,"
                + " rt.mq_open(b'/mocoj-hostile', 2) >= 0]\nprint(found)\n";
        SandboxResult made = isolated.run(create);
        assertTrue(made.passed(), "the objects can be made inside the run: " + made);
        SandboxResult later = isolated.run(find);
        assertTrue(later.passed(), later.toString());
        assertEquals("[False, False, False, False]\n", later.stdout(), "a later run sees nothing of an earlier one");
    }

    @Test
    void hostUnixSocketsAreUnreachable() throws Exception {
        Path sock = Path.of(System.getProperty("java.io.tmpdir"), "mocoj-hostile-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        String abstractName = "mocoj-hostile-" + UUID.randomUUID();
        // an abstract-namespace listener on the host (Java cannot bind one; python3 can)
        Process abstractServer = new ProcessBuilder(isolated.pythonExecutable(), "-c",
                "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.bind('\\0" + abstractName + "')\ns.listen(1)\n"
                        + "print('ready', flush=True)\ns.settimeout(8)\ntry:\n    c, _ = s.accept()\n    print('ACCEPTED', flush=True)\n"
                        + "except socket.timeout:\n    pass\n").redirectErrorStream(true).start();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rwxrwxrwx"));
            server.configureBlocking(false);
            var reader = abstractServer.inputReader();
            assertEquals("ready", reader.readLine());
            String attack = "import socket\nok = []\nfor addr in ['" + sock + "', '\\0" + abstractName + "']:\n"
                    + "    try:\n        c = socket.socket(socket.AF_UNIX)\n        c.connect(addr)\n        c.send(b'hi')\n        ok.append(addr)\n"
                    + "    except OSError as e:\n        print(type(e).__name__, e)\n"
                    + "def f():\n    return bool(ok)\n";
            for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
                Score sc = score(s, CHECK_TRUE, attack);
                assertEquals(0.0, sc.value(), sc.detail());
                SocketChannel c = server.accept();
                assertEquals(null, c, "the path socket was reached from the sandbox");
            }
        } finally {
            Files.deleteIfExists(sock);
            abstractServer.waitFor(10, TimeUnit.SECONDS);
            String rest = new String(abstractServer.getInputStream().readAllBytes());
            abstractServer.destroyForcibly();
            assertFalse(rest.contains("ACCEPTED"), "the abstract socket was reached from the sandbox");
        }
    }

    @Test
    void treesDeeperThanPathMaxAreCleanedUp() throws IOException {
        String deep = "import os\nfor i in range(40):\n    os.mkdir('d' * 200)\n    os.chdir('d' * 200)\n"
                + "open('leaf', 'w').write('x' * 1000)\n";  // 40 levels of 201 bytes: 8,040 > PATH_MAX
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            SandboxResult r = s.run(deep);
            assertTrue(r.passed(), r.toString());
            try (var left = Files.list(s.baseDir())) {
                assertEquals(List.of(), left.toList(), "the deep tree is gone");
            }
        }
    }

    @Test
    void deepTreeRemovalWorksOnAHostDirectory() throws IOException {
        Path top = Files.createTempDirectory("mocoj-deep-");
        // build a tree deeper than PATH_MAX from the host side, descriptor-relative via python (Java cannot)
        ProcessBuilder pb = new ProcessBuilder(isolated.pythonExecutable(), "-c",
                "import os\nos.chdir('" + top + "')\nfor i in range(30):\n    os.mkdir('e' * 200)\n    os.chmod('e' * 200, 0o700)\n"
                        + "    os.chdir('e' * 200)\nopen('f', 'w').write('y')\nos.chmod('.', 0)\n");
        try {
            assertEquals(0, pb.start().waitFor());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        CodeSandbox.deleteTree(top);
        assertFalse(Files.exists(top), "a tree deeper than PATH_MAX (30 levels of 201 bytes, innermost mode 000) is removed");
    }

    @Test
    void totalDiskUseIsCapped() {
        // 6 files of 4 MiB: each under the 5 MiB file limit, 24 MiB together, over the 16 MiB cap
        String fill = "for i in range(6):\n    with open('f%d' % i, 'wb') as f:\n        f.write(b'0' * (4 << 20))\n";
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            SandboxResult r = s.run(fill);
            assertFalse(r.passed(), r.toString());
            if (s.namespacesAvailable()) assertTrue(r.stderr().contains("No space left"), r.stderr());
        }
        SandboxResult ok = isolated.run("with open('f', 'wb') as f:\n    f.write(b'0' * (4 << 20))\n");
        assertTrue(ok.passed(), "writing under the cap works: " + ok);
    }

    @Test
    void systemExitZeroIsAFailureNotASetupError() {
        SandboxResult r = isolated.run("raise SystemExit(0)");
        assertFalse(r.passed(), "SystemExit(0) in the program is not a pass: " + r);
        assertEquals(SandboxResult.Outcome.FAILED, r.outcome());
    }

    @Test
    void correctCodeStillPassesInBothModes() {
        String test = "def check(candidate):\n    assert candidate(2, 3) == 5\n";
        for (CodeSandbox s : new CodeSandbox[] {isolated, limitsOnly}) {
            Score sc = score(s, test, "def add(a, b):\n    return a + b");
            assertEquals(1.0, sc.value(), sc.detail());
        }
    }
}
