package dev.pacer.core.usecase;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one attempt may hold a job, how many attempts a job gets before it fails for good, and how long it may
 * wait for quota. The lease must outlast the longest attempt (the worker's timeout), so a live attempt is never stolen.
 *
 * @param ambiguousRetries how many times a call that may have been generated and billed without an
 *                         answer (a timeout after sending) is tried again; 0 fails the job at the first
 * @param maxQuotaWait     how long after it was accepted a job without a deadline may still be waiting for quota;
 *                         a job that would wait longer ends FAILED {@code quota_wait_exceeded}
 */
public record RetryPolicy(int maxAttempts, Duration lease, int ambiguousRetries, Duration maxQuotaWait) {

    /** A week: a pool's daily quotas turn a few times over a large batch, and jobs are kept 30 days. */
    public static final Duration DEFAULT_MAX_QUOTA_WAIT = Duration.ofDays(7);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (ambiguousRetries < 0) {
            throw new IllegalArgumentException("ambiguousRetries must not be negative");
        }
        Objects.requireNonNull(maxQuotaWait, "maxQuotaWait");
        if (maxQuotaWait.isNegative() || maxQuotaWait.isZero()) {
            throw new IllegalArgumentException("maxQuotaWait must be positive");
        }
    }

    /** Jobs wait for quota at most {@link #DEFAULT_MAX_QUOTA_WAIT}. */
    public RetryPolicy(int maxAttempts, Duration lease, int ambiguousRetries) {
        this(maxAttempts, lease, ambiguousRetries, DEFAULT_MAX_QUOTA_WAIT);
    }

    /** One retry of an ambiguous call, the default. */
    public RetryPolicy(int maxAttempts, Duration lease) {
        this(maxAttempts, lease, 1);
    }
}
