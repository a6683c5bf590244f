package dev.pacer.core.usecase;

import java.time.Duration;

/**
 * How long one attempt may hold a job, and how many attempts a job gets before it fails for good.
 * The lease must outlast the longest attempt (the worker's timeout), so a live attempt is never stolen.
 */
public record RetryPolicy(int maxAttempts, Duration lease) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
