package dev.pacer.core.quota;

import java.util.Objects;
import java.util.Optional;

/**
 * What a provider allows one account for one model: requests and images in any rolling 60 s, requests in a
 * provider day, optionally tokens per minute and calls in flight at once.
 */
public record ModelLimits(int rpm, int ipm, int rpd, Optional<Integer> tpm, Optional<Integer> maxConcurrent) {

    public ModelLimits {
        Objects.requireNonNull(tpm, "tpm");
        Objects.requireNonNull(maxConcurrent, "maxConcurrent");
        if (rpm < 1 || ipm < 1 || rpd < 1) {
            throw new IllegalArgumentException("rpm, ipm and rpd must be positive");
        }
        if (tpm.filter(t -> t < 1).isPresent() || maxConcurrent.filter(c -> c < 1).isPresent()) {
            throw new IllegalArgumentException("tpm and maxConcurrent must be positive when given");
        }
    }

    public static ModelLimits of(int rpm, int ipm, int rpd) {
        return new ModelLimits(rpm, ipm, rpd, Optional.empty(), Optional.empty());
    }

    /** The limits pacer itself holds to: each one reduced by the margin, never below 1. */
    public ModelLimits withMargin(double safetyMargin) {
        return new ModelLimits(reduce(rpm, safetyMargin), reduce(ipm, safetyMargin), reduce(rpd, safetyMargin),
                tpm.map(t -> reduce(t, safetyMargin)), maxConcurrent);
    }

    private static int reduce(int limit, double margin) {
        return Math.max(1, (int) Math.floor(limit * (1.0 - margin) + 1e-9));
    }
}
