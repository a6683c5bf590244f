package dev.pacer.core.job;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One provider call made for a job, as the job record keeps it: who served it, how long it took,
 * what it consumed and came to, and what it probably cost. {@code outcome} is one of
 * {@link Outcome}: GENERATED when the call brought every image it asked for, otherwise how it failed for
 * those it did not bring ({@code images} counts those it did); {@code errorType} is that failure's stable type.
 */
public record Attempt(
        int number,
        String provider,
        String account,
        String model,
        Instant startedAt,
        Duration latency,
        Outcome outcome,
        Optional<String> errorType,
        int images,
        Usage usage,
        BigDecimal estimatedCostUsd) {

    /** How a call ended; AMBIGUOUS means it may have been generated and billed without an answer. */
    public enum Outcome { GENERATED, REFUSED, RETRY_LATER, RATE_LIMITED, AMBIGUOUS }

    public Attempt {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(estimatedCostUsd, "estimatedCostUsd");
    }
}
