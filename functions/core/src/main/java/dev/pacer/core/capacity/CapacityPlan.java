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
        double requestsPerMinuteNeeded, Optional<Instant> dailyQuotaRunsOutAt, Cost costPerImage, BatchLane batch, List<String> warnings) {

    public CapacityPlan {
        Objects.requireNonNull(dailyQuotaRunsOutAt, "dailyQuotaRunsOutAt");
        Objects.requireNonNull(batch, "batch");
        warnings = List.copyOf(warnings);
    }

    /**
     * The same images on the batch lane (docs/batch.md): whether the model has one here, and why not; the accounts
     * with a Batch API serving it; how many images a day the lane can take (open batches per account × lines per
     * batch, each batch done within the provider's target, so at most that many a day: the providers' enqueued-token
     * limits are not counted); how long a batch takes at worst and so when images submitted now are expected; and the
     * cost per image at the batch price, AWS's share without a worker blocked on the call.
     */
    public record BatchLane(boolean available, String reason, int accounts, long imagesPerDay, Duration turnaround,
            Optional<Instant> expectedBy, Optional<Cost> costPerImage) {

        public BatchLane {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(turnaround, "turnaround");
            Objects.requireNonNull(expectedBy, "expectedBy");
            Objects.requireNonNull(costPerImage, "costPerImage");
        }

        static BatchLane unavailable(String reason, Duration turnaround) {
            return new BatchLane(false, reason, 0, 0, turnaround, Optional.empty(), Optional.empty());
        }
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
