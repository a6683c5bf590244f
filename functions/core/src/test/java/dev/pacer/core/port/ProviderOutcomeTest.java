package dev.pacer.core.port;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.JobError;
import dev.pacer.core.port.ProviderOutcome.Ambiguous;
import dev.pacer.core.port.ProviderOutcome.Failure;
import dev.pacer.core.port.ProviderOutcome.Generated;
import dev.pacer.core.port.ProviderOutcome.GeneratedImage;
import dev.pacer.core.port.ProviderOutcome.Partial;
import dev.pacer.core.port.ProviderOutcome.RateLimited;
import dev.pacer.core.port.ProviderOutcome.Refused;
import dev.pacer.core.port.ProviderOutcome.RetryLater;
import dev.pacer.core.quota.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderOutcomeTest {

    private static final Generated TWO = new Generated(List.of(png(), png()));
    private static final Refused REFUSED = new Refused("safety_block", "IMAGE_SAFETY");
    private static final RetryLater RETRY_LATER = new RetryLater("provider_unavailable", "503");
    private static final RateLimited RATE_LIMITED =
            new RateLimited("rate_limited", "429 per day", Optional.of(Duration.ofSeconds(20)), true, Optional.of("PerDay"));
    private static final Ambiguous AMBIGUOUS = new Ambiguous("provider_timeout", "no answer within 300 s");
    private static final List<Failure> FAILURES = List.of(REFUSED, RETRY_LATER, RATE_LIMITED, AMBIGUOUS);

    @Test
    void aGeneratedOutcomeMadeEveryImageAndMissesNone() {
        assertEquals(Optional.of(TWO), TWO.made());
        assertEquals(Optional.empty(), TWO.missing());
    }

    @Test
    void aPartialOutcomeMadeSomeImagesAndSaysWhyTheRestAreMissing() {
        Partial partial = new Partial(TWO, REFUSED);

        assertEquals(Optional.of(TWO), partial.made());
        assertEquals(Optional.of(REFUSED), partial.missing());
    }

    @Test
    void aFailureMadeNoImageAndIsItselfWhyTheyAreMissing() {
        for (Failure failure : FAILURES) {
            assertEquals(Optional.empty(), failure.made(), failure::toString);
            assertEquals(Optional.of(failure), failure.missing(), failure::toString);
        }
    }

    @Test
    void eachFailureIsLoggedAsItsKind() {
        assertEquals(List.of(Attempt.Outcome.REFUSED, Attempt.Outcome.RETRY_LATER, Attempt.Outcome.RATE_LIMITED, Attempt.Outcome.AMBIGUOUS),
                FAILURES.stream().map(Failure::attemptOutcome).toList());
    }

    @Test
    void onlyARefusalIsNotWorthRetrying() {
        assertEquals(List.of(false, true, true, true), FAILURES.stream().map(Failure::isRetryable).toList());
    }

    @Test
    void onlyAnAmbiguousCallMayHaveBeenBilledWithoutAnAnswer() {
        assertEquals(List.of(false, false, false, true), FAILURES.stream().map(Failure::isAmbiguous).toList());
    }

    @Test
    void onlyA429CarriesARateLimitWithTheDelayTheDayFlagAndItsTypeAndMessage() {
        assertEquals(Optional.of(new RateLimit(Optional.of(Duration.ofSeconds(20)), true, "rate_limited: 429 per day")),
                RATE_LIMITED.rateLimit());
        for (Failure failure : List.of(REFUSED, RETRY_LATER, AMBIGUOUS)) {
            assertFalse(failure.rateLimit().isPresent(), failure::toString);
        }
    }

    @Test
    void aFailureBecomesTheJobsErrorWithItsTypeAndMessage() {
        assertEquals(new JobError("provider_timeout", "no answer within 300 s"), AMBIGUOUS.error());
        assertTrue(FAILURES.stream().allMatch(failure -> failure.error().equals(new JobError(failure.type(), failure.message()))));
    }

    private static GeneratedImage png() {
        return new GeneratedImage(new byte[] {1, 2, 3}, "image/png");
    }
}
