package io.mocoj.providers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    static final Clock NOON = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    static HttpHeaders headers(Map<String, String> h) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        h.forEach((k, v) -> m.put(k, List.of(v)));
        return HttpHeaders.of(m, (a, b) -> true);
    }

    @Test
    void secondsAndDates() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOON));
        assertEquals(Optional.of(Duration.ofMillis(1500)), RetryAfter.parse(" 1.5 ", NOON));
        // RFC 9110's example date, 30 minutes after the clock
        assertEquals(Optional.of(Duration.ofMinutes(30)), RetryAfter.parse("Wed, 21 Oct 2015 07:58:00 GMT", NOON));
        // a date in the past means "now"
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOON));
    }

    @Test
    void garbageIsIgnored() {
        assertTrue(RetryAfter.parse("soon", NOON).isEmpty());
        assertTrue(RetryAfter.parse("-5", NOON).isEmpty());
        assertTrue(RetryAfter.parse("", NOON).isEmpty());
        assertTrue(RetryAfter.parse(null, NOON).isEmpty());
        assertTrue(RetryAfter.from(headers(Map.of()), NOON).isEmpty());
    }

    @Test
    void millisecondHeaderWinsAndHeaderNamesAreCaseInsensitive() {
        assertEquals(Optional.of(Duration.ofMillis(250)),
                RetryAfter.from(headers(Map.of("retry-after-ms", "250", "Retry-After", "1")), NOON));
        assertEquals(Optional.of(Duration.ofSeconds(3)), RetryAfter.from(headers(Map.of("RETRY-AFTER", "3")), NOON));
        assertEquals(Optional.of(Duration.ofSeconds(4)),
                RetryAfter.from(headers(Map.of("retry-after-ms", "bad", "retry-after", "4")), NOON));
    }
}
