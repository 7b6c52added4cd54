package io.mocoj.internal.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void delaysDoubleWithJitterBetweenHalfAndFull() {
        assertEquals(50, p.delay(1, 0.0, null).toMillis());
        assertEquals(75, p.delay(1, 0.5, null).toMillis());
        assertEquals(200, p.delay(3, 0.0, null).toMillis());
        assertEquals(1000, p.delay(10, 0.0, null).toMillis(), "capped at maxDelay before jitter");
    }

    @Test
    void retryAfterIsAFloorButStillCapped() {
        assertEquals(1500, p.delay(1, 0.0, Duration.ofMillis(1500)).toMillis());
        assertEquals(2000, p.delay(1, 0.0, Duration.ofSeconds(30)).toMillis());
    }
}
