package io.mocoj.internal.engine;

import io.mocoj.ModelFailureException;
import io.mocoj.ModelFailurePolicy;
import io.mocoj.RunReport.DegradedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outcome of every model's calls during a run. A model is unhealthy when its first
 * {@link HealthSettings#firstCalls()} calls all failed, or when more than
 * {@link HealthSettings#maxFailureShare()} of its calls failed (during the run once it has made
 * {@link HealthSettings#minCallsForShare()} calls; at the end of the run always), or when its
 * preflight request failed. With {@link ModelFailurePolicy#STOP} the first unhealthy model sets
 * the run's stop signal, which every later call and example sees.
 */
final class PoolHealth {
    private final HealthSettings settings;
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile ModelFailureException stop;

    private static final class Counts {
        long calls, failed;
        String firstError;
        String preflightError;
        String reason;
    }

    PoolHealth(HealthSettings settings) { this.settings = settings; }

    HealthSettings settings() { return settings; }

    /** Set once a model is unhealthy under the STOP policy. */
    ModelFailureException stopSignal() { return stop; }

    void success(String model) { update(model, null); }

    void failure(String model, String error) { update(model, error == null ? "unknown error" : error); }

    /** A failed preflight makes the model unhealthy at once. */
    void preflightFailed(String model, String error) {
        Counts c = counts.computeIfAbsent(model, m -> new Counts());
        synchronized (c) {
            c.preflightError = error;
            if (c.firstError == null) c.firstError = error;
            if (c.reason == null) c.reason = "its preflight request failed";
        }
        maybeStop(model, c);
    }

    private void update(String model, String error) {
        Counts c = counts.computeIfAbsent(model, m -> new Counts());
        synchronized (c) {
            c.calls++;
            if (error != null) {
                c.failed++;
                if (c.firstError == null) c.firstError = error;
            }
            if (c.reason == null) c.reason = verdict(c, false);
        }
        maybeStop(model, c);
    }

    private String verdict(Counts c, boolean end) {
        if (c.failed == c.calls && c.failed >= settings.firstCalls()) {
            return "its first " + c.calls + " calls all failed";
        }
        if ((end || c.calls >= settings.minCallsForShare()) && c.failed > settings.maxFailureShare() * c.calls && c.failed > 0) {
            return String.format(Locale.ROOT, "%d of its %d calls failed (%.1f%%, more than the allowed %.1f%%)",
                    c.failed, c.calls, 100.0 * c.failed / c.calls, 100 * settings.maxFailureShare());
        }
        return null;
    }

    private void maybeStop(String model, Counts c) {
        if (settings.policy() != ModelFailurePolicy.STOP || stop != null) return;
        ModelFailureException e;
        synchronized (c) {
            if (c.reason == null) return;
            e = exception(model, c);
        }
        synchronized (this) {
            if (stop == null) stop = e;
        }
    }

    /** Applies the share rule to the final counts; under STOP sets the stop signal for the first unhealthy model. */
    void finish() {
        for (Map.Entry<String, Counts> en : counts.entrySet()) {
            Counts c = en.getValue();
            synchronized (c) {
                if (c.reason == null) c.reason = verdict(c, true);
            }
            maybeStop(en.getKey(), c);
        }
    }

    /** The unhealthy models so far, in the given order. */
    List<DegradedModel> degraded(List<String> order) {
        List<DegradedModel> out = new ArrayList<>();
        for (String m : order) {
            Counts c = counts.get(m);
            if (c == null) continue;
            synchronized (c) {
                if (c.reason != null) out.add(new DegradedModel(m, c.calls, c.failed, c.reason, c.firstError));
            }
        }
        return out;
    }

    private ModelFailureException exception(String model, Counts c) {
        String msg = "model " + model + " is failing: " + c.reason + ". First error: " + c.firstError
                + ". The run was stopped early; responses received so far are in the response cache, so a re-run does not"
                + " repeat them. Check the model's server, address and API key (or fix the spec), or re-run with"
                + " --allow-degraded (Java: .onModelFailure(ModelFailurePolicy.CONTINUE)) to finish without it and get a"
                + " result marked DEGRADED.";
        return new ModelFailureException(msg, model, c.calls, c.failed, c.firstError);
    }
}
