package io.mocoj.eval;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs untrusted Python code, treating it as hostile. Each run gets a fresh temporary
 * directory (removed afterwards), a minimal environment (nothing of the parent's: no API keys),
 * a wall-clock timeout after which the whole process tree is killed, and limits on CPU time,
 * address space, file size, open files and processes, no core dumps, a new session and umask
 * 077. When {@code unshare} works (probed once) the code also runs in new network, mount and
 * PID namespaces: no network but loopback, every mount but its directory read-only, a private
 * {@code /proc}; when the library runs as root, the code runs as an unprivileged user id
 * (one per parallel slot) so that the process limit applies. When namespaces are not
 * available, only the limits apply and {@link SandboxResult#isolation()} says so.
 *
 * <p>Thread-safe; at most {@link Builder#maxParallel} runs at once (others wait).
 */
public final class CodeSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(CodeSandbox.class);
    private static final int OUTPUT_CAP = 64 * 1024;
    private static final int FIRST_SANDBOX_UID = 64000;

    private final Duration timeout;
    private final int cpuSeconds;
    private final long addressSpaceBytes;
    private final long fileSizeBytes;
    private final int openFiles;
    private final int processes;
    private final int maxParallel;
    private final Interpreter interpreter;
    private final boolean namespaces;
    private final boolean root;
    private final String launcher;
    private final Path baseDir;
    private final BlockingQueue<Integer> slots;

    private record Interpreter(String executable, String prefix, String relative) {}

    private CodeSandbox(Builder b) {
        this.timeout = b.timeout;
        this.cpuSeconds = b.cpuSeconds;
        this.addressSpaceBytes = b.addressSpaceBytes;
        this.fileSizeBytes = b.fileSizeBytes;
        this.openFiles = b.openFiles;
        this.processes = b.processes;
        this.maxParallel = b.maxParallel;
        this.interpreter = probeInterpreter(b.python);
        this.root = "root".equals(System.getProperty("user.name")) || uidIsZero();
        this.namespaces = b.useNamespaces && probeNamespaces();
        if (!namespaces) {
            LOG.warn("code sandbox: Linux namespaces unavailable ({}); running with resource limits only: "
                    + "no network isolation, no read-only file system{}", b.useNamespaces ? "unshare failed" : "disabled",
                    root ? ", and the process limit does not bind root" : "");
        }
        try (InputStream in = CodeSandbox.class.getResourceAsStream("internal/sandbox_launcher.py")) {
            this.launcher = new String(Objects.requireNonNull(in, "sandbox_launcher.py missing").readAllBytes(), StandardCharsets.UTF_8);
            this.baseDir = Files.createTempDirectory("mocoj-sandbox-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException("code sandbox: cannot set up its temporary directory", e);
        }
        this.baseDir.toFile().deleteOnExit();
        this.slots = new ArrayBlockingQueue<>(maxParallel);
        for (int i = 0; i < maxParallel; i++) slots.add(i);
    }

    public static Builder builder() { return new Builder(); }

    /** A sandbox with the default limits (see {@link Builder}). */
    public static CodeSandbox createDefault() { return builder().build(); }

    /** Whether network, mount and PID namespaces are in use. */
    public boolean namespacesAvailable() { return namespaces; }

    public Duration timeout() { return timeout; }

    public int maxParallel() { return maxParallel; }

    /** The interpreter that runs the code (resolved once, absolute). */
    public String pythonExecutable() { return interpreter.executable(); }

    /** Runs {@code code} as {@code solution.py} and reports how it ended. Blocks while all slots are busy. */
    public SandboxResult run(String code) {
        Objects.requireNonNull(code, "code");
        int slot;
        try {
            slot = slots.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sandbox slot", e);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(baseDir, "run-");
            Files.writeString(dir.resolve("solution.py"), code, StandardCharsets.UTF_8);
            return execute(dir, slot);
        } catch (IOException e) {
            throw new UncheckedIOException("code sandbox: cannot prepare " + dir, e);
        } finally {
            if (dir != null) deleteTree(dir);
            slots.add(slot);
        }
    }

    private SandboxResult execute(Path dir, int slot) throws IOException {
        int uid = namespaces && root ? FIRST_SANDBOX_UID + slot : -1;
        List<String> cmd = new ArrayList<>();
        if (namespaces) {
            cmd.add("unshare");
            if (!root) cmd.addAll(List.of("--user", "--map-root-user"));
            cmd.addAll(List.of("--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"));
        }
        String workdir = dir.toAbsolutePath().toString();
        cmd.addAll(List.of(interpreter.executable(), "-I", "-c", launcher, workdir, String.valueOf(uid), String.valueOf(uid),
                String.valueOf(cpuSeconds), String.valueOf(addressSpaceBytes), String.valueOf(fileSizeBytes),
                String.valueOf(openFiles), String.valueOf(processes), interpreter.prefix(), interpreter.relative(),
                namespaces ? "1" : "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", workdir);
        env.put("TMPDIR", workdir);
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONHASHSEED", "0");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p = pb.start();
        BoundedReader out = new BoundedReader(p.getInputStream());
        BoundedReader err = new BoundedReader(p.getErrorStream());
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running sandboxed code", e);
        }
        if (!finished) killTree(p);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        out.join();
        err.join();
        String isolation = namespaces ? "namespaces(net,mount,pid)" + (uid >= 0 ? "+uid " + uid : "") : "limits only";
        return new SandboxResult(finished ? p.exitValue() : -1, !finished, out.text(), err.text(), elapsed, isolation);
    }

    private static void killTree(Process p) {
        // With namespaces, killing unshare takes the whole PID namespace down (--kill-child).
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    // the sandbox may have left directories without owner permissions
                    d.toFile().setWritable(true, true);
                    d.toFile().setExecutable(true, true);
                    d.toFile().setReadable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("code sandbox: could not remove {}: {}", dir, e.toString());
        }
    }

    Path baseDir() { return baseDir; }

    /** Closes nothing but removes the (empty) base directory; runs remove their own directories. */
    public void cleanUp() {
        deleteTree(baseDir);
    }

    private boolean probeNamespaces() {
        List<String> cmd = new ArrayList<>(List.of("unshare"));
        if (!root) cmd.addAll(List.of("--user", "--map-root-user"));
        cmd.addAll(List.of("--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "true"));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean uidIsZero() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Interpreter probeInterpreter(String python) {
        ProcessBuilder pb = new ProcessBuilder(python, "-I", "-c",
                "import os,sys;print(os.path.realpath(sys.executable));print(os.path.realpath(sys.base_prefix))")
                .redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("code sandbox: '" + python + "' did not run as a Python interpreter: " + out.strip());
            }
            String[] lines = out.strip().split("\n");
            String exe = lines[0].strip();
            String prefix = lines[1].strip();
            Path rel = exe.startsWith(prefix + "/") ? Path.of(prefix).relativize(Path.of(exe)) : null;
            if (rel == null) return new Interpreter(exe, Path.of(exe).getParent().toString(), Path.of(exe).getFileName().toString());
            return new Interpreter(exe, prefix, rel.toString());
        } catch (IOException e) {
            throw new IllegalStateException("code sandbox: Python interpreter '" + python + "' not found; install python3 "
                    + "or name one with CodeSandbox.builder().python(\"/path/to/python3\")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the Python interpreter", e);
        }
    }

    /** Drains a stream, keeping only the first {@value #OUTPUT_CAP} bytes. */
    private static final class BoundedReader {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;

        BoundedReader(InputStream in) {
            thread = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (kept) {
                            int room = OUTPUT_CAP - kept.size();
                            if (room > 0) kept.write(buf, 0, Math.min(room, n));
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed; what was read so far is kept
                }
            });
        }

        void join() {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Limits and options of a {@link CodeSandbox}. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(10);
        private int cpuSeconds = 10;
        private long addressSpaceBytes = 512L << 20;
        private long fileSizeBytes = 5L << 20;
        private int openFiles = 64;
        private int processes = 4;
        private int maxParallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        private String python = "python3";
        private boolean useNamespaces = true;

        private Builder() {}

        /** Wall-clock limit per run (default 10 s); the process tree is killed when it passes. */
        public Builder timeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) throw new IllegalArgumentException("timeout must be positive, was " + v);
            timeout = v;
            return this;
        }

        /** CPU-time limit in seconds (RLIMIT_CPU, default 10). */
        public Builder cpuSeconds(int v) { cpuSeconds = positive("cpuSeconds", v); return this; }

        /** Address-space limit in bytes (RLIMIT_AS, default 512 MiB). */
        public Builder addressSpaceBytes(long v) {
            if (v < (64L << 20)) throw new IllegalArgumentException("addressSpaceBytes must be at least 64 MiB for Python to start, was " + v);
            addressSpaceBytes = v;
            return this;
        }

        /** Largest file the code may write, in bytes (RLIMIT_FSIZE, default 5 MiB). */
        public Builder fileSizeBytes(long v) {
            if (v <= 0) throw new IllegalArgumentException("fileSizeBytes must be positive, was " + v);
            fileSizeBytes = v;
            return this;
        }

        /** Open file descriptors (RLIMIT_NOFILE, default 64). */
        public Builder openFiles(int v) { openFiles = positive("openFiles", v); return this; }

        /** Processes of the sandbox user (RLIMIT_NPROC, default 4). */
        public Builder processes(int v) { processes = positive("processes", v); return this; }

        /** How many runs may execute at once (default: the number of processors). */
        public Builder maxParallel(int v) { maxParallel = positive("maxParallel", v); return this; }

        /** The Python interpreter, a name on PATH or a path (default {@code python3}). */
        public Builder python(String v) { python = Objects.requireNonNull(v, "python"); return this; }

        /** Whether to use Linux namespaces when available (default true). */
        public Builder useNamespaces(boolean v) { useNamespaces = v; return this; }

        /** @throws IllegalStateException when the interpreter cannot be found or run */
        public CodeSandbox build() { return new CodeSandbox(this); }

        private static int positive(String name, int v) {
            if (v <= 0) throw new IllegalArgumentException(name + " must be positive, was " + v);
            return v;
        }
    }
}
