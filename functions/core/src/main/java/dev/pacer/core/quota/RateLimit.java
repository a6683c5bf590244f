package dev.pacer.core.quota;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's 429 as the ledger needs it: the delay the provider asked for (Gemini's RetryInfo.retryDelay,
 * OpenAI's Retry-After), and whether the violated quota is a per-day one (Gemini's quotaId contains
 * "PerDay"; its short retryDelay is then a trap: nothing passes before the provider day turns).
 */
public record RateLimit(Optional<Duration> retryDelay, boolean perDay, String message) {

    public RateLimit {
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(message, "message");
    }
}
