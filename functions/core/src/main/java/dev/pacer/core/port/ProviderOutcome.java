package dev.pacer.core.port;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.Usage;
import dev.pacer.core.quota.CallReport;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.StatedLimits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What one provider call came to. */
public sealed interface ProviderOutcome {

    /** The images the call brought: all of a Generated, some of a Partial, none of a failure. */
    Optional<Generated> made();

    /** Why the images the call did not bring are missing; empty when it brought them all. */
    Optional<Failure> missing();

    /**
     * What the answer tells the quota ledger once the call is over: the tokens the provider says it used, and the limits
     * it stated (OpenAI's rate-limit headers). A 429's own limits go with its {@link Failure#rateLimit()} instead.
     */
    CallReport quotaReport();

    /** A call that brought none of the images it asked for (or of those it was missing): a stable type and the provider's reason. */
    sealed interface Failure extends ProviderOutcome {
        String type();

        String message();

        /** How the attempt log records this failure. */
        Attempt.Outcome attemptOutcome();

        /** The same request may work later; false only for a refusal. */
        default boolean isRetryable() {
            return true;
        }

        /** The request was sent and no answer came: the provider may have generated and billed it. */
        default boolean isAmbiguous() {
            return false;
        }

        /** The 429 this failure stands for, as the ledger needs it to cool the account down; empty for any other failure. */
        default Optional<RateLimit> rateLimit() {
            return Optional.empty();
        }

        /** This failure as the job's error. */
        default JobError error() {
            return new JobError(type(), message());
        }

        @Override
        default Optional<Generated> made() {
            return Optional.empty();
        }

        @Override
        default Optional<Failure> missing() {
            return Optional.of(this);
        }

        @Override
        default CallReport quotaReport() {
            return CallReport.NONE;
        }
    }

    /** Images came back, with what the provider says they consumed and what it stated of the account's limits. */
    record Generated(List<GeneratedImage> images, Usage usage, StatedLimits stated) implements ProviderOutcome {
        public Generated {
            images = List.copyOf(images);
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(stated, "stated");
            if (images.isEmpty()) {
                throw new IllegalArgumentException("Generated needs at least one image");
            }
        }

        public Generated(List<GeneratedImage> images, Usage usage) {
            this(images, usage, StatedLimits.NONE);
        }

        public Generated(List<GeneratedImage> images) {
            this(images, Usage.NONE);
        }

        /** The tokens spent where the provider reports usage (zero means it reports none: the estimate stands). */
        @Override
        public CallReport quotaReport() {
            return new CallReport(usage.totalTokens() > 0 ? Optional.of(usage.totalTokens()) : Optional.empty(), stated);
        }

        @Override
        public Optional<Generated> made() {
            return Optional.of(this);
        }

        @Override
        public Optional<Failure> missing() {
            return Optional.empty();
        }
    }

    /**
     * Some of the images came back (they are billed: pacer keeps them), the rest did not, for the reason
     * {@code failure} gives (Gemini: one of several requests failed; Nova Canvas: some images were blocked).
     */
    record Partial(Generated generated, Failure failure) implements ProviderOutcome {
        public Partial {
            Objects.requireNonNull(generated, "generated");
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public Optional<Generated> made() {
            return Optional.of(generated);
        }

        @Override
        public Optional<Failure> missing() {
            return Optional.of(failure);
        }

        @Override
        public CallReport quotaReport() {
            return generated.quotaReport();
        }
    }

    /** The provider will never accept this request as sent (bad input, safety block, no access). */
    record Refused(String type, String message) implements Failure {
        public Refused {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Attempt.Outcome attemptOutcome() {
            return Attempt.Outcome.REFUSED;
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** A passing failure (overload, 5xx, connection refused): the same request may work later. */
    record RetryLater(String type, String message) implements Failure {
        public RetryLater {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Attempt.Outcome attemptOutcome() {
            return Attempt.Outcome.RETRY_LATER;
        }
    }

    /**
     * The provider's rate limiter said no (HTTP 429): the account needs a rest, the job does not fail.
     *
     * @param retryAfter what the provider asked for ({@code RetryInfo.retryDelay}, {@code Retry-After}), if anything
     * @param perDay     the violated quota is a per-day one (a Gemini quota id containing {@code PerDay}): the
     *                   account is done until its provider day turns, whatever {@code retryAfter} says
     * @param quotaId    the violated quota as the provider names it, when it does
     * @param dimensions the limits it names (Gemini's quota id, OpenAI's "(IPM)"); empty when it names none
     * @param stated     the limits it states (Gemini's {@code quotaValue}, OpenAI's "Limit 5" and rate-limit headers)
     */
    record RateLimited(String type, String message, Optional<Duration> retryAfter, boolean perDay, Optional<String> quotaId,
            Set<Dimension> dimensions, StatedLimits stated) implements Failure {
        public RateLimited {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(quotaId, "quotaId");
            dimensions = Set.copyOf(dimensions);
            Objects.requireNonNull(stated, "stated");
        }

        /** A 429 that names and states no limit. */
        public RateLimited(String type, String message, Optional<Duration> retryAfter, boolean perDay, Optional<String> quotaId) {
            this(type, message, retryAfter, perDay, quotaId, Set.of(), StatedLimits.NONE);
        }

        @Override
        public Attempt.Outcome attemptOutcome() {
            return Attempt.Outcome.RATE_LIMITED;
        }

        @Override
        public Optional<RateLimit> rateLimit() {
            return Optional.of(new RateLimit(retryAfter, perDay, type + ": " + message, dimensions, stated));
        }
    }

    /**
     * The request was sent but no answer came (timed out, connection dropped): the provider may have
     * generated and billed it. Retried only under an explicit policy.
     */
    record Ambiguous(String type, String message) implements Failure {
        public Ambiguous {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Attempt.Outcome attemptOutcome() {
            return Attempt.Outcome.AMBIGUOUS;
        }

        @Override
        public boolean isAmbiguous() {
            return true;
        }
    }

    /** Image bytes and the media type the provider declared. */
    record GeneratedImage(byte[] bytes, String contentType) {
        public GeneratedImage {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }

        public String fileExtension() {
            return switch (contentType) {
                case "image/jpeg" -> "jpg";
                case "image/webp" -> "webp";
                default -> "png";
            };
        }
    }
}
