package io.mocoj.cli;

import io.mocoj.ProgressEvent;
import io.mocoj.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows run progress: a progress bar on a terminal, a plain line every 10% otherwise, or nothing. */
abstract class Progress implements ProgressListener, AutoCloseable {

    static Progress create(String mode, PrintWriter err) {
        String m = mode.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "none" -> new Progress() {
                @Override public void onEvent(ProgressEvent e) {}
            };
            case "bar" -> new Bar();
            case "lines" -> new Lines(err);
            case "auto" -> System.console() != null && System.getenv("CI") == null ? new Bar() : new Lines(err);
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, not '" + mode + "'");
        };
    }

    @Override public void close() {}

    /** A terminal progress bar per phase. */
    static final class Bar extends Progress {
        private ProgressBar bar;

        @Override
        public synchronized void onEvent(ProgressEvent e) {
            switch (e) {
                case ProgressEvent.PhaseStarted s -> {
                    close();
                    bar = new ProgressBarBuilder().setTaskName(s.phase()).setInitialMax(s.total())
                            .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
                }
                case ProgressEvent.ExampleFinished f -> { if (bar != null) bar.stepTo(f.done()); }
                case ProgressEvent.PhaseFinished f -> close();
                default -> { }
            }
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** One line per started phase, per 10% of it, and per retry. */
    static final class Lines extends Progress {
        private final PrintWriter err;

        Lines(PrintWriter err) { this.err = err; }

        @Override
        public void onEvent(ProgressEvent e) {
            switch (e) {
                case ProgressEvent.PhaseStarted s -> err.printf("[%s] %d examples%n", s.phase(), s.total());
                case ProgressEvent.ExampleFinished f -> {
                    int step = Math.max(1, f.total() / 10);
                    if (f.done() % step == 0 || f.done() == f.total()) {
                        err.printf(Locale.ROOT, "[%s] %d/%d done, %.1fs elapsed, eta %.1fs%n", f.phase(), f.done(), f.total(),
                                f.elapsed().toMillis() / 1000.0, f.eta().toMillis() / 1000.0);
                    }
                }
                case ProgressEvent.TrainingStep t -> {
                    var p = t.progress();
                    int step = Math.max(1, p.totalSteps() / 10);
                    if (p.step() % step == 0 || p.step() == p.totalSteps() || p.step() == 1) {
                        err.printf(Locale.ROOT, "[train %s] %s step %d/%d loss %.4f, %.0f tokens/s, eta %.1fs%n", t.label(), t.model(),
                                p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(), p.eta().toMillis() / 1000.0);
                    }
                }
                case ProgressEvent.Retrying r -> err.printf(Locale.ROOT, "[retry] %s attempt %d in %d ms: %s%n", r.model(),
                        r.attempt(), r.delay().toMillis(), r.reason());
                default -> { }
            }
            err.flush();
        }
    }
}
