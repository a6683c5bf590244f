package dev.pacer.core.quota;

import java.util.Objects;
import java.util.Optional;

/**
 * Limits of one account for one model: requests and images in any rolling 60 s, requests in a provider day, tokens
 * per minute and calls in flight at once, and the batch lane's own: tokens enqueued in unfinished batches
 * ({@code batchEnqueuedTokens}, which no sync call spends). Any of them may be unknown (empty). The pool's declaration is one of these
 * (a ceiling: pacer never goes above it), and so is what pacer applies now ({@link QuotaLearning#applied}).
 */
public record ModelLimits(Optional<Integer> rpm, Optional<Integer> ipm, Optional<Integer> rpd, Optional<Integer> tpm,
        Optional<Integer> maxConcurrent, Optional<Long> batchEnqueuedTokens) {

    /** Nothing declared: pacer starts cautiously and learns (a pool entry {@code "models": {"<model>": {}}}). */
    public static final ModelLimits NONE = new ModelLimits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public ModelLimits {
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(ipm, "ipm");
        Objects.requireNonNull(rpd, "rpd");
        Objects.requireNonNull(tpm, "tpm");
        Objects.requireNonNull(maxConcurrent, "maxConcurrent");
        Objects.requireNonNull(batchEnqueuedTokens, "batchEnqueuedTokens");
        if (batchEnqueuedTokens.filter(l -> l < 1).isPresent()) {
            throw new IllegalArgumentException("limits must be positive when given");
        }
        for (Optional<Integer> limit : new Optional[] {rpm, ipm, rpd, tpm, maxConcurrent}) {
            if (limit.filter(l -> l < 1).isPresent()) {
                throw new IllegalArgumentException("limits must be positive when given");
            }
        }
    }

    /** The sync lane's limits, the batch lane's left unknown. */
    public ModelLimits(Optional<Integer> rpm, Optional<Integer> ipm, Optional<Integer> rpd, Optional<Integer> tpm,
            Optional<Integer> maxConcurrent) {
        this(rpm, ipm, rpd, tpm, maxConcurrent, Optional.empty());
    }

    public ModelLimits(int rpm, int ipm, int rpd, Optional<Integer> tpm, Optional<Integer> maxConcurrent) {
        this(Optional.of(rpm), Optional.of(ipm), Optional.of(rpd), tpm, maxConcurrent);
    }

    public static ModelLimits of(int rpm, int ipm, int rpd) {
        return new ModelLimits(rpm, ipm, rpd, Optional.empty(), Optional.empty());
    }

    /** These limits with the batch lane's enqueued-token limit set. */
    public ModelLimits withBatchEnqueuedTokens(long limit) {
        return new ModelLimits(rpm, ipm, rpd, tpm, maxConcurrent, Optional.of(limit));
    }

    public Optional<Integer> get(Dimension dimension) {
        return switch (dimension) {
            case RPM -> rpm;
            case IPM -> ipm;
            case TPM -> tpm;
            case RPD -> rpd;
        };
    }

    public ModelLimits with(Dimension dimension, Optional<Integer> limit) {
        return new ModelLimits(dimension == Dimension.RPM ? limit : rpm, dimension == Dimension.IPM ? limit : ipm,
                dimension == Dimension.RPD ? limit : rpd, dimension == Dimension.TPM ? limit : tpm, maxConcurrent, batchEnqueuedTokens);
    }

    /** The limits pacer itself holds to: each one reduced by the margin, never below 1. */
    public ModelLimits withMargin(double safetyMargin) {
        return new ModelLimits(rpm.map(l -> reduce(l, safetyMargin)), ipm.map(l -> reduce(l, safetyMargin)),
                rpd.map(l -> reduce(l, safetyMargin)), tpm.map(t -> reduce(t, safetyMargin)), maxConcurrent,
                batchEnqueuedTokens.map(t -> Math.max(1L, (long) Math.floor(t * (1.0 - safetyMargin) + 1e-9))));
    }

    static int reduce(int limit, double margin) {
        return Math.max(1, (int) Math.floor(limit * (1.0 - margin) + 1e-9));
    }
}
