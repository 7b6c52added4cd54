package io.mocoj.eval;

import java.time.Duration;

/**
 * What happened when code ran in the {@link CodeSandbox}.
 *
 * @param exitCode        the interpreter's exit status (-1 when it was killed or never started)
 * @param timedOut        true when the wall-clock timeout killed it
 * @param stdout          the first bytes of its standard output (decoded as UTF-8, truncated)
 * @param stderr          the first bytes of its standard error (decoded as UTF-8, truncated)
 * @param elapsed         wall-clock time from start to exit
 * @param isolation       which isolation was in force, e.g. "namespaces(net,mount,pid)+uid 64001" or "limits only"
 */
public record SandboxResult(int exitCode, boolean timedOut, String stdout, String stderr, Duration elapsed, String isolation) {
    /** The marker the launcher writes when it could not set the sandbox up (exit status 97). */
    public static final String SETUP_ERROR_MARKER = "mocoj-sandbox-setup-error:";

    /** True when the code ran to completion and exited with status 0. */
    public boolean passed() { return !timedOut && exitCode == 0; }

    /** True when the sandbox itself could not be set up (so the code never ran). */
    public boolean setupFailed() { return exitCode == 97 && stderr.contains(SETUP_ERROR_MARKER); }
}
