package dev.pacer.core.usecase;

import java.time.Duration;

/**
 * How long one attempt may hold a job, and how many attempts a job gets before it fails for good.
 * The lease must outlast the longest attempt (the worker's timeout), so a live attempt is never stolen.
 *
 * @param ambiguousRetries how many times a call that may have been generated and billed without an
 *                         answer (a timeout after sending) is tried again; 0 fails the job at the first
 */
public record RetryPolicy(int maxAttempts, Duration lease, int ambiguousRetries) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (ambiguousRetries < 0) {
            throw new IllegalArgumentException("ambiguousRetries must not be negative");
        }
    }

    /** One retry of an ambiguous call, the default. */
    public RetryPolicy(int maxAttempts, Duration lease) {
        this(maxAttempts, lease, 1);
    }
}
