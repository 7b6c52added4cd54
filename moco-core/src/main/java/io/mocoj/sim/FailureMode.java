package io.mocoj.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A failure a {@link SimulatedModel} returns on every call, to test how callers handle it. */
public enum FailureMode {
    /** No permanent failure. */
    NONE(0, false),
    /** HTTP 401, permanent (bad API key). */
    AUTH(401, false),
    /** HTTP 403, permanent. */
    FORBIDDEN(403, false),
    /** HTTP 404, permanent (unknown model). */
    NOT_FOUND(404, false),
    /** HTTP 400, permanent (bad request). */
    BAD_REQUEST(400, false),
    /** HTTP 503 on every call, transient (retries never help: tests retry exhaustion). */
    SERVER(503, true);

    private final int httpStatus;
    private final boolean transientFailure;

    FailureMode(int httpStatus, boolean transientFailure) {
        this.httpStatus = httpStatus;
        this.transientFailure = transientFailure;
    }

    public int httpStatus() { return httpStatus; }

    public boolean transientFailure() { return transientFailure; }

    /** The spec name, e.g. {@code not_found}. */
    public String specName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a spec name; the error lists the accepted names. */
    public static FailureMode fromSpecName(String name) {
        for (FailureMode m : values()) if (m.specName().equalsIgnoreCase(name.strip())) return m;
        throw new IllegalArgumentException("unknown failure mode '" + name + "'; accepted: "
                + Arrays.stream(values()).map(FailureMode::specName).collect(Collectors.joining(", ")));
    }
}
