package io.mocoj.providers.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a server asked the client to wait: the standard {@code Retry-After} header
 * (delay in seconds, or an HTTP date), and OpenAI's {@code retry-after-ms} (milliseconds), which
 * wins when both are present because it is more precise.
 */
public final class RetryAfter {
    private RetryAfter() {}

    public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double v = Double.parseDouble(ms.get().strip());
                if (v >= 0 && Double.isFinite(v)) return Optional.of(Duration.ofNanos((long) (v * 1_000_000)));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").flatMap(v -> parse(v, clock));
    }

    /** Parses a {@code Retry-After} value: whole (or decimal) seconds, or an RFC 1123 date. */
    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null) return Optional.empty();
        String v = value.strip();
        if (v.isEmpty()) return Optional.empty();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds < 0 || !Double.isFinite(seconds)) return Optional.empty();
            return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), when.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
