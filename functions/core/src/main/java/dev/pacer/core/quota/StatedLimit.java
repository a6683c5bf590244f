package dev.pacer.core.quota;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One limit as the provider states it with an answer: OpenAI's {@code x-ratelimit-limit-requests: 500} with
 * {@code -remaining-requests} and {@code -reset-requests}, or the {@code quotaValue} of a Gemini 429's QuotaFailure.
 *
 * @param limit     the limit itself, per minute (or per day for {@link Dimension#RPD})
 * @param remaining what is left of it now, when the provider says
 * @param resetsIn  how long until it is whole again, when the provider says
 * @param source    where it was read, for GET /v1/quota ({@code x-ratelimit-limit-requests}, {@code quotaValue of …})
 */
public record StatedLimit(int limit, Optional<Long> remaining, Optional<Duration> resetsIn, String source) {

    public StatedLimit {
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(resetsIn, "resetsIn");
        Objects.requireNonNull(source, "source");
        if (limit < 1) {
            throw new IllegalArgumentException("a stated limit must be positive: " + limit);
        }
    }

    public static StatedLimit of(int limit, String source) {
        return new StatedLimit(limit, Optional.empty(), Optional.empty(), source);
    }
}
