package dev.pacer.core.usecase;

import java.time.Duration;

/**
 * How hard a callback is tried: {@code maxAttempts} POSTs in all, the n-th retry {@code firstBackoff × 2^(n-1)} after
 * the failure, capped at 15 minutes (the longest an SQS message can be delayed).
 */
public record CallbackPolicy(int maxAttempts, Duration firstBackoff) {

    public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    public CallbackPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (firstBackoff.isNegative() || firstBackoff.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("firstBackoff must be between 0 and 15 minutes");
        }
    }

    /** The wait after the {@code failedAttempts}-th failed POST. */
    public Duration backoff(int failedAttempts) {
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 16));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }
}
