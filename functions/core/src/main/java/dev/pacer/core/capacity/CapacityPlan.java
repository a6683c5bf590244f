package dev.pacer.core.capacity;

import dev.pacer.core.job.Resolution;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link CapacityQuestion}: what the pool allows, what the target takes, when the provider day's
 * quota runs out at that pace and what an image costs.
 *
 * @param accounts                the accounts serving the model
 * @param concurrencyNeeded       provider calls in flight to make the target: target × latency / 60, rounded up
 * @param sqsMaximumConcurrency   the worker event source mapping's MaximumConcurrency to set (2 to 1000)
 * @param requestsPerMinuteNeeded what those calls ask for when they run flat out (concurrency × 60 / latency)
 * @param dailyQuotaRunsOutAt     when the pool's requests per provider day are used up at the target pace (or at
 *                                the most the per-minute limits allow); empty when they last
 */
public record CapacityPlan(String model, Resolution resolution, double imagesPerMinute, Duration latency,
        LatencySource latencySource, int accounts, Ceiling ceiling, int concurrencyNeeded, int sqsMaximumConcurrency,
        double requestsPerMinuteNeeded, Optional<Instant> dailyQuotaRunsOutAt, Cost costPerImage, List<String> warnings) {

    public CapacityPlan {
        Objects.requireNonNull(dailyQuotaRunsOutAt, "dailyQuotaRunsOutAt");
        warnings = List.copyOf(warnings);
    }

    public enum LatencySource { SEED, MEASURED }

    /**
     * What the pool allows after the safety margins, summed over the accounts serving the model (one image per
     * request). {@code imagesPerMinute} is the pace it keeps up all provider day (each account's rpm, ipm,
     * rpd / 1440 and maxConcurrent × 60 / latency, whichever is least); {@code requestsPerMinute} is what it allows
     * in any one minute.
     */
    public record Ceiling(double imagesPerMinute, long imagesPerDay, long requestsPerMinute, long requestsPerDay) {
    }

    /** USD per image: the provider's list price (PriceTable), AWS's share (AwsCosts), and their sum. */
    public record Cost(BigDecimal provider, BigDecimal aws, BigDecimal total) {
    }
}
