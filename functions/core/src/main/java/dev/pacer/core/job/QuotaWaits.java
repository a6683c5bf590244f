package dev.pacer.core.job;

import java.time.Instant;
import java.util.Objects;

/**
 * How often a job has waited for quota, and when it first and last did: the summary that stands for its waits, since
 * a job that waits thousands of times must not log each one (DynamoDB keeps at most 400 KB per job).
 */
public record QuotaWaits(int count, Instant firstAt, Instant lastAt) {

    public QuotaWaits {
        Objects.requireNonNull(firstAt, "firstAt");
        Objects.requireNonNull(lastAt, "lastAt");
        if (count < 1) {
            throw new IllegalArgumentException("a summary of waits has at least one");
        }
    }

    /** The summary after one more wait at {@code at}. */
    public QuotaWaits and(Instant at) {
        return new QuotaWaits(count + 1, firstAt, at);
    }

    public static QuotaWaits first(Instant at) {
        return new QuotaWaits(1, at, at);
    }
}
