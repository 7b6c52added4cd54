package io.mocoj.eval;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs untrusted Python code, treating it as hostile (threat model: {@code docs/sandbox-threat-model.md}).
 * Each run gets a fresh temporary directory, a minimal environment (nothing of the parent's: no
 * API keys), a wall-clock timeout after which the whole process tree is killed, limits on CPU
 * time, address space, file size, open files and processes, no core dumps, a new session, umask
 * 077, and (on x86-64 and aarch64) a seccomp filter refusing Unix-domain sockets and io_uring.
 * When {@code unshare} works (probed once) the code also runs in new IPC, network, mount and PID
 * namespaces: no network but an unconfigured loopback, no System V or POSIX IPC object shared
 * with the host or another run, every mount read-only, a private {@code /proc}, and as its only
 * writable place a size- and inode-capped tmpfs that exists in its namespace alone (total disk
 * use is capped, nothing reaches the host's disk); when the library runs as root, the code runs
 * as an unprivileged user id (one per parallel slot, from a random range per sandbox) so that the process limit applies. When
 * namespaces are not available, the limits and the filter apply, total disk use is watched and the
 * run killed above the cap, and {@link SandboxResult#isolation()} says so.
 *
 * <p>A run passes only when the harness, after every statement of the program returned normally,
 * writes a per-run random nonce (given to it on a pipe, never in its arguments, environment or
 * files): an exit status of 0, an exception hook, an orphaned child or a printed marker is not a
 * pass. The launcher's own setup-error report carries the nonce too, so code cannot forge it.
 *
 * <p>Thread-safe; at most {@link Builder#maxParallel} runs at once (others wait).
 */
public final class CodeSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(CodeSandbox.class);
    private static final int OUTPUT_CAP = 64 * 1024;
    private static final int TAIL = 512;
    /** How long the output readers may take after the process tree is gone (they only lag on a loaded machine). */
    private static final Duration READER_WAIT = Duration.ofSeconds(30);
    /** Sandbox uids are drawn from [100000, 60000000): a random base per sandbox, so two JVMs on one machine never share one. */
    private static final int UID_RANGE_START = 100_000, UID_RANGE_END = 60_000_000;
    private static final String PASS_LINE = "\nmocoj-sandbox-pass:";
    private static final SecureRandom NONCES = new SecureRandom();

    private final Duration timeout;
    private final int cpuSeconds;
    private final long addressSpaceBytes;
    private final long fileSizeBytes;
    private final int openFiles;
    private final int processes;
    private final int maxParallel;
    private final long diskBytes;
    private final int diskInodes;
    private final boolean seccomp;
    private final Interpreter interpreter;
    private final boolean namespaces;
    private final boolean root;
    private final String launcher;
    private final Path baseDir;
    private final BlockingQueue<Integer> slots;
    private final int firstUid;
    /** Test seam: how long the output readers wait before their first read (zero outside tests). */
    private final Duration readerDelay;

    private record Interpreter(String executable, String prefix, String relative) {}

    private CodeSandbox(Builder b) {
        this.timeout = b.timeout;
        this.cpuSeconds = b.cpuSeconds;
        this.addressSpaceBytes = b.addressSpaceBytes;
        this.fileSizeBytes = b.fileSizeBytes;
        this.openFiles = b.openFiles;
        this.processes = b.processes;
        this.maxParallel = b.maxParallel;
        this.diskBytes = b.diskBytes;
        this.diskInodes = b.diskInodes;
        this.readerDelay = b.readerDelay;
        String arch = System.getProperty("os.arch", "");
        this.seccomp = b.useSeccomp && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
        this.interpreter = probeInterpreter(b.python);
        this.root = "root".equals(System.getProperty("user.name")) || uidIsZero();
        this.namespaces = b.useNamespaces && probeNamespaces();
        if (!namespaces) {
            LOG.warn("code sandbox: Linux namespaces unavailable ({}); running with resource limits only: "
                    + "no network or IPC isolation, no read-only file system, total disk use watched rather than capped{}",
                    b.useNamespaces ? "unshare failed" : "disabled", root ? ", and the process limit does not bind root" : "");
        }
        try (InputStream in = CodeSandbox.class.getResourceAsStream("internal/sandbox_launcher.py")) {
            this.launcher = new String(Objects.requireNonNull(in, "sandbox_launcher.py missing").readAllBytes(), StandardCharsets.UTF_8);
            this.baseDir = Files.createTempDirectory("mocoj-sandbox-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException("code sandbox: cannot set up its temporary directory", e);
        }
        this.baseDir.toFile().deleteOnExit();
        this.firstUid = UID_RANGE_START + NONCES.nextInt((UID_RANGE_END - UID_RANGE_START) / maxParallel) * maxParallel;
        this.slots = new ArrayBlockingQueue<>(maxParallel);
        for (int i = 0; i < maxParallel; i++) slots.add(i);
    }

    public static Builder builder() { return new Builder(); }

    /** A sandbox with the default limits (see {@link Builder}). */
    public static CodeSandbox createDefault() { return builder().build(); }

    /** Whether IPC, network, mount and PID namespaces (and the per-run tmpfs) are in use. */
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
        int uid = namespaces && root ? firstUid + slot : -1;
        List<String> cmd = new ArrayList<>();
        if (namespaces) cmd.addAll(unshareCommand());
        String workdir = dir.toAbsolutePath().toString();
        cmd.addAll(List.of(interpreter.executable(), "-I", "-c", launcher, workdir, String.valueOf(uid), String.valueOf(uid),
                String.valueOf(cpuSeconds), String.valueOf(addressSpaceBytes), String.valueOf(fileSizeBytes),
                String.valueOf(openFiles), String.valueOf(processes), interpreter.prefix(), interpreter.relative(),
                namespaces ? "1" : "0", String.valueOf(diskBytes), String.valueOf(diskInodes), seccomp ? "1" : "0"));
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
        byte[] raw = new byte[16];
        NONCES.nextBytes(raw);
        String nonce = HexFormat.of().formatHex(raw);
        long start = System.nanoTime();
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            stdin.write((nonce + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the launcher died before reading its nonce: the run fails below
        }
        BoundedReader out = new BoundedReader(p.getInputStream(), readerDelay);
        BoundedReader err = new BoundedReader(p.getErrorStream(), readerDelay);
        DiskWatch watch = namespaces ? null : new DiskWatch(dir, diskBytes, p);
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running sandboxed code", e);
        } finally {
            if (watch != null) watch.stop();
        }
        if (!finished) killTree(p);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A leftover child of the code could hold the pipes open (without namespaces): end it.
        killTree(p);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        // Every writer is gone, so both readers reach the end of their stream; however late they run,
        // nothing written before the exit is lost (killTree never closes the pipes' reading ends).
        boolean drained = out.join() & err.join();
        String isolation = (namespaces ? "namespaces(ipc,net,mount,pid)+tmpfs" + (uid >= 0 ? "+uid " + uid : "") : "limits only")
                + (seccomp ? "+seccomp" : "");
        int exit = finished ? p.exitValue() : -1;
        String stdout = out.text();
        boolean proven = drained && out.endsWith(PASS_LINE + nonce + "\n");
        if (proven) stdout = out.textWithoutTail(PASS_LINE.length() + nonce.length() + 1);
        String stderr = err.text();
        IOException lost = out.failure() != null ? out.failure() : err.failure();
        SandboxResult.Outcome outcome;
        if (lost != null) {
            // reading the pipes broke on the sandbox's side: not the code's fault, so a failed score, never a silent 0
            LOG.warn("code sandbox: the program's output could not be read to its end: {}", lost.toString());
            return new SandboxResult(SandboxResult.Outcome.SETUP_FAILED, exit, stdout, stderr + "\n" + SandboxResult.SETUP_ERROR_MARKER
                    + " the sandbox could not read the program's output: " + lost, elapsed, isolation);
        }
        if (!drained) {
            // only a process that escaped the session (no namespaces) can still hold a pipe open: the code's doing
            stderr += "\n[the program's output was still open " + READER_WAIT.toSeconds() + " s after it exited]";
        }
        if (!finished) outcome = SandboxResult.Outcome.TIMED_OUT;
        else if (watch != null && (watch.exceeded() || DiskWatch.usage(dir) > diskBytes)) outcome = SandboxResult.Outcome.DISK_LIMIT;
        else if (proven && exit == 0) outcome = SandboxResult.Outcome.PASSED;
        else if (exit == 97 && stderr.contains(SandboxResult.SETUP_ERROR_MARKER + nonce + ":")) outcome = SandboxResult.Outcome.SETUP_FAILED;
        else outcome = SandboxResult.Outcome.FAILED;
        if (outcome == SandboxResult.Outcome.SETUP_FAILED) {
            stderr = stderr.replace(SandboxResult.SETUP_ERROR_MARKER + nonce + ":", SandboxResult.SETUP_ERROR_MARKER);
        }
        return new SandboxResult(outcome, exit, stdout, stderr, elapsed, isolation);
    }

    private List<String> unshareCommand() {
        List<String> cmd = new ArrayList<>(List.of("unshare"));
        if (!root) cmd.addAll(List.of("--user", "--map-root-user"));
        cmd.addAll(List.of("--ipc", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"));
        return cmd;
    }

    private static void killTree(Process p) {
        // With namespaces, killing unshare takes the whole PID namespace down (--kill-child). Without,
        // the launcher made itself a session leader: every process of that session (orphans included) goes.
        // The process is killed through its handle, never with Process.destroyForcibly(): that also closes
        // the reading ends of its pipes, and a reader that had not yet read the last bytes (the pass line)
        // would lose them; this made correct programs fail on a loaded machine.
        long session = p.pid();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.toHandle().destroyForcibly();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        ProcessHandle.allProcesses().filter(h -> h.pid() != ProcessHandle.current().pid() && sessionOf(h.pid()) == session)
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** The session id of a process, from {@code /proc/<pid>/stat}; -1 when unknown. */
    private static long sessionOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Removes a directory tree of any depth with descriptor-relative calls only (a path longer than
     * PATH_MAX never has to be resolved): the tree is flattened into its top directory, one level
     * at a time, by renaming each grandchild up, then every emptied directory is removed.
     */
    static void deleteTree(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir);
                return;
            }
            makeOwnerAccessible(dir);
            try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
                if (!(top instanceof SecureDirectoryStream<Path> sds)) {
                    walkDelete(dir);
                    return;
                }
                long counter = 0;
                boolean again = true;
                while (again) {
                    again = false;
                    List<Path> names = new ArrayList<>();
                    try (DirectoryStream<Path> list = sds.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
                        for (Path p : list) names.add(p.getFileName());
                    }
                    for (Path name : names) {
                        BasicFileAttributes a = sds.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .readAttributes();
                        if (!a.isDirectory()) {
                            sds.deleteFile(name);
                            continue;
                        }
                        sds.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .setPermissions(PosixFilePermissions.fromString("rwx------"));
                        try (SecureDirectoryStream<Path> child = sds.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                            List<Path> grandchildren = new ArrayList<>();
                            for (Path g : child) grandchildren.add(g.getFileName());
                            for (Path g : grandchildren) {
                                child.move(g, sds, Path.of(".mocoj-flat-" + (counter++)));
                                again = true;
                            }
                        }
                        sds.deleteDirectory(name);
                    }
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("code sandbox: could not remove {}: {}", dir, e.toString());
        }
    }

    private static void makeOwnerAccessible(Path d) {
        d.toFile().setWritable(true, true);
        d.toFile().setExecutable(true, true);
        d.toFile().setReadable(true, true);
    }

    /** Path-based fallback where the platform has no descriptor-relative directory streams. */
    private static void walkDelete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                makeOwnerAccessible(d);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    Path baseDir() { return baseDir; }

    /** Closes nothing but removes the (empty) base directory; runs remove their own directories. */
    public void cleanUp() {
        deleteTree(baseDir);
    }

    private boolean probeNamespaces() {
        List<String> cmd = unshareCommand();
        cmd.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m mocoj-probe /mnt 2>/dev/null || mount -t tmpfs -o size=1m mocoj-probe /tmp"));
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

    /** Drains a stream, keeping the first {@value #OUTPUT_CAP} bytes and the last {@value #TAIL}. */
    private static final class BoundedReader {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] tail = new byte[TAIL];
        private long total;
        private final Thread thread;
        private volatile IOException failure;

        BoundedReader(InputStream in, Duration delay) {
            thread = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    if (!delay.isZero()) Thread.sleep(delay);
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (kept) {
                            int room = OUTPUT_CAP - kept.size();
                            if (room > 0) kept.write(buf, 0, Math.min(room, n));
                            for (int i = 0; i < n; i++) tail[(int) ((total + i) % TAIL)] = buf[i];
                            total += n;
                        }
                    }
                } catch (IOException e) {
                    // a pipe's end is never closed under the reader, so this is the sandbox's failure, not the code's
                    failure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** Waits for the end of the stream; false when the reader is still busy after {@link #READER_WAIT}. */
        boolean join() {
            try {
                // the process tree is gone, so end of stream is certain; a loaded machine may still take a while
                return thread.join(READER_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The error that ended reading early, or null. */
        IOException failure() { return failure; }

        /** Whether the whole stream (not only the kept head) ends with {@code suffix}. */
        boolean endsWith(String suffix) {
            byte[] want = suffix.getBytes(StandardCharsets.US_ASCII);
            synchronized (kept) {
                if (want.length > TAIL || want.length > total) return false;
                for (int i = 0; i < want.length; i++) {
                    if (tail[(int) ((total - want.length + i) % TAIL)] != want[i]) return false;
                }
                return true;
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8) + (total > OUTPUT_CAP ? "\n[output truncated]" : "");
            }
        }

        /** The kept text without the stream's last {@code n} bytes. */
        String textWithoutTail(int n) {
            synchronized (kept) {
                byte[] head = kept.toByteArray();
                long keep = Math.min(head.length, total - n);
                return new String(head, 0, (int) Math.max(0, keep), StandardCharsets.UTF_8)
                        + (total - n > OUTPUT_CAP ? "\n[output truncated]" : "");
            }
        }
    }

    /**
     * Without namespaces there is no tmpfs to cap the disk: polls the run directory's size and kills
     * the run above the cap (a burst between two polls can overshoot; see the threat model); a run
     * found above the cap when it ends fails as well.
     */
    private static final class DiskWatch {
        private final Thread thread;
        private volatile boolean stop;
        private volatile boolean exceeded;

        DiskWatch(Path dir, long cap, Process p) {
            thread = Thread.ofVirtual().start(() -> {
                while (!stop && p.isAlive()) {
                    if (usage(dir) > cap) {
                        exceeded = true;
                        killTree(p);
                        return;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private static long usage(Path dir) {
            long[] sum = {0};
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        sum[0] += attrs.size();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult visitFileFailed(Path file, IOException e) {
                        sum[0] += 4096;
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // counted what could be seen
            }
            return sum[0];
        }

        void stop() {
            stop = true;
            thread.interrupt();
        }

        boolean exceeded() { return exceeded; }
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
        private long diskBytes = 64L << 20;
        private int diskInodes = 4096;
        private String python = "python3";
        private boolean useNamespaces = true;
        private boolean useSeccomp = true;
        private Duration readerDelay = Duration.ZERO;

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

        /**
         * Total disk use of one run in bytes (default 64 MiB): the size of its tmpfs with namespaces,
         * else the size above which the run is killed. At least {@code fileSizeBytes}.
         */
        public Builder diskBytes(long v) {
            if (v < (1L << 20)) throw new IllegalArgumentException("diskBytes must be at least 1 MiB, was " + v);
            diskBytes = v;
            return this;
        }

        /** Files and directories one run may create (tmpfs inodes, default 4096; namespaces only). */
        public Builder diskInodes(int v) { diskInodes = positive("diskInodes", v); return this; }

        /** Whether to install the seccomp filter (default true; x86-64 and aarch64 only). */
        public Builder useSeccomp(boolean v) { useSeccomp = v; return this; }

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

        /** Test seam: the output readers start this late, as on a heavily loaded machine. */
        Builder readerDelay(Duration v) { readerDelay = Objects.requireNonNull(v, "readerDelay"); return this; }

        /** @throws IllegalStateException when the interpreter cannot be found or run */
        public CodeSandbox build() {
            if (diskBytes < fileSizeBytes) {
                throw new IllegalArgumentException("diskBytes (" + diskBytes + ") must be at least fileSizeBytes (" + fileSizeBytes + ")");
            }
            return new CodeSandbox(this);
        }

        private static int positive(String name, int v) {
            if (v <= 0) throw new IllegalArgumentException(name + " must be positive, was " + v);
            return v;
        }
    }
}
