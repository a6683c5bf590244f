package dev.pacer.core.quota;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A provider's 429 as the ledger needs it: the delay the provider asked for (Gemini's RetryInfo.retryDelay,
 * OpenAI's Retry-After), whether the violated quota is a per-day one (Gemini's quotaId contains "PerDay"; its short
 * retryDelay is then a trap: nothing passes before the provider day turns), which limit it names (Gemini's quotaId,
 * OpenAI's "(IPM)" / "(TPM)"; empty when it names none), and the limit it states (Gemini's quotaValue, OpenAI's
 * "Limit 5" and rate-limit headers).
 */
public record RateLimit(Optional<Duration> retryDelay, boolean perDay, String message, Set<Dimension> dimensions,
        StatedLimits stated) {

    public RateLimit {
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stated, "stated");
        dimensions = dimensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(dimensions));
    }

    /** A 429 that names no limit and states none. */
    public RateLimit(Optional<Duration> retryDelay, boolean perDay, String message) {
        this(retryDelay, perDay, message, Set.of(), StatedLimits.NONE);
    }
}
