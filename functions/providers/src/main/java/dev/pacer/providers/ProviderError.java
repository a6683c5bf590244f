package dev.pacer.providers;

import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.StatedLimits;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A provider answer that brought no images, reduced to what classification needs. Adapters turn
 * their wire format into this; {@link Classification} turns it into an outcome.
 *
 * @param provider   {@code gemini}, {@code openai} or {@code bedrock}
 * @param status     the HTTP status; 200 for a block inside a successful answer; 0 when no answer came
 * @param code       the provider's own name for the failure: Gemini's {@code error.status}
 *                   ({@code RESOURCE_EXHAUSTED}) or {@code blockReason:…} / {@code finishReason:…}, OpenAI's
 *                   {@code error.code}, a Bedrock exception name, or a {@link Transport} name
 * @param retryAfter what the provider asked us to wait ({@code RetryInfo.retryDelay}, {@code Retry-After})
 * @param quotaId    the violated quota as the provider names it ({@code QuotaFailure.violations[].quotaId})
 * @param dimensions for a 429, the limits it names (Gemini's quota id, OpenAI's "(IPM)"); empty when it names none
 * @param stated     the limits the answer states (Gemini's {@code quotaValue}, OpenAI's "Limit 5" and rate-limit headers)
 */
public record ProviderError(String provider, int status, String code, String message,
                            Optional<Duration> retryAfter, Optional<String> quotaId, Set<Dimension> dimensions,
                            StatedLimits stated) {

    /** Failures without an HTTP answer: whether the request may have reached the provider decides everything. */
    public enum Transport {
        /** Refused, unresolvable, or no connection within the connect timeout: nothing was sent. */
        CONNECT_FAILED,
        /** Sent, and no answer within the request timeout: it may have been generated and billed. */
        TIMEOUT_AFTER_SEND,
        /** Sent, and the connection broke before the answer was complete. */
        CONNECTION_LOST,
        /**
         * An edit's input image could not be read from the store while the body was sent: the provider never had a
         * whole request, so nothing was generated or billed.
         */
        INPUT_UNREADABLE
    }

    public ProviderError {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(quotaId, "quotaId");
        dimensions = Set.copyOf(dimensions);
        Objects.requireNonNull(stated, "stated");
    }

    public ProviderError(String provider, int status, String code, String message, Optional<Duration> retryAfter,
            Optional<String> quotaId) {
        this(provider, status, code, message, retryAfter, quotaId, Set.of(), StatedLimits.NONE);
    }

    public static ProviderError of(String provider, int status, String code, String message) {
        return new ProviderError(provider, status, code, message, Optional.empty(), Optional.empty());
    }

    public static ProviderError transport(String provider, Transport failure, String message) {
        return of(provider, 0, failure.name(), message);
    }
}
