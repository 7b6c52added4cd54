package io.mocoj.eval;

import java.time.Duration;

/**
 * What happened when code ran in the {@link CodeSandbox}.
 *
 * @param outcome   how the run ended; only {@link Outcome#PASSED} is a pass
 * @param exitCode  the interpreter's exit status (-1 when it was killed or never started)
 * @param stdout    the first bytes of its standard output (decoded as UTF-8, truncated; the harness's pass line removed)
 * @param stderr    the first bytes of its standard error (decoded as UTF-8, truncated)
 * @param elapsed   wall-clock time from start to exit
 * @param isolation which isolation was in force, e.g. "namespaces(ipc,net,mount,pid)+tmpfs+uid 64001+seccomp" or "limits only+seccomp"
 */
public record SandboxResult(Outcome outcome, int exitCode, String stdout, String stderr, Duration elapsed, String isolation) {
    /** The marker the launcher writes (followed by the run's nonce) when it could not set the sandbox up (exit status 97). */
    public static final String SETUP_ERROR_MARKER = "mocoj-sandbox-setup-error:";

    /** How a sandboxed run ended. */
    public enum Outcome {
        /** Every statement returned normally and the harness wrote this run's nonce. */
        PASSED,
        /** The code raised, exited early, or exited without the harness's proof of a pass. */
        FAILED,
        /** The wall-clock timeout killed it. */
        TIMED_OUT,
        /** Without namespaces: it wrote more than the run's disk cap and was killed. */
        DISK_LIMIT,
        /** The sandbox itself failed: it could not be set up (the launcher's report carried the run's nonce) or could not read the output. */
        SETUP_FAILED
    }

    /** True only when the harness proved a pass (see {@link Outcome#PASSED}). */
    public boolean passed() { return outcome == Outcome.PASSED; }

    /** True when the wall-clock timeout killed it. */
    public boolean timedOut() { return outcome == Outcome.TIMED_OUT; }

    /** True when the sandbox itself could not be set up (so the code never ran). */
    public boolean setupFailed() { return outcome == Outcome.SETUP_FAILED; }
}
