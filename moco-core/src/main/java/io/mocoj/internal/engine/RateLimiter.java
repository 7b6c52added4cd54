package io.mocoj.internal.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Spaces requests evenly to at most {@code perMinute} a minute (no bursts); callers sleep until their slot. */
final class RateLimiter {
    private final long intervalNanos;
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);

    RateLimiter(double perMinute) {
        if (!(perMinute > 0)) throw new IllegalArgumentException("requests per minute must be positive, was " + perMinute);
        this.intervalNanos = (long) (60e9 / perMinute);
    }

    void acquire() throws InterruptedException {
        long now = System.nanoTime();
        long slot = nextSlot.getAndAccumulate(now, (prev, n) -> Math.max(prev == Long.MIN_VALUE ? n : prev, n) + intervalNanos) ;
        long mine = slot == Long.MIN_VALUE ? now : Math.max(slot, now);
        long wait = mine - now;
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}
