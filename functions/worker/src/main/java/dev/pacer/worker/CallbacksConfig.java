package dev.pacer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Completion callbacks (PACER_CALLBACKS_QUEUE_URL, PACER_CALLBACKS_MAX_ATTEMPTS, PACER_CALLBACKS_SIGNING_KEY, ...): the
 * queue of finished jobs to announce, and how the deliver-callbacks handler POSTs them.
 */
@ConfigMapping(prefix = "pacer.callbacks")
public interface CallbacksConfig {

    /** Where a finished job with a callback URL is noticed, and where a failed POST is re-sent delayed. */
    String queueUrl();

    /** POSTs in all before delivery is given up. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait before the first retry; doubles with each failure, capped at 15 minutes. */
    @WithDefault("PT30S")
    Duration firstBackoff();

    /** Short: a receiver that cannot take a connection at once is tried again later. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * From sending the request to the response's headers. The whole POST, its answer's body included, must end
     * within {@link #connectTimeout()} plus this, or it is cut off and counts as a failed attempt.
     */
    @WithDefault("PT10S")
    Duration readTimeout();

    /** How long the image URLs in a callback body stay valid (GET signs fresh ones at any time). */
    @WithDefault("PT1H")
    Duration imageUrlValidity();

    /** The HMAC key itself (local runs and tests). Wins over {@link #signingSecretId()}. */
    Optional<String> signingKey();

    /** Deployed: the Secrets Manager secret holding the HMAC key. */
    Optional<String> signingSecretId();

}
