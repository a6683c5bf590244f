package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ProviderOutcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryBudgetTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final ProviderOutcome.Ambiguous TIMEOUT = new ProviderOutcome.Ambiguous("provider_timeout", "no answer");
    private static final ProviderOutcome.RetryLater UNAVAILABLE = new ProviderOutcome.RetryLater("provider_unavailable", "503");

    private final RetryBudget budget = new RetryBudget(new RetryPolicy(3, Duration.ofMinutes(13), 1));

    @Test
    void aRefusalIsNeverRetriedAndEndsTheJobWithItsOwnError() {
        assertEquals(Optional.of(new JobError("safety_block", "IMAGE_SAFETY")),
                budget.noRetry(job(1, 0), new ProviderOutcome.Refused("safety_block", "IMAGE_SAFETY")));
    }

    @Test
    void aPassingFailureIsRetriedUntilTheLastAttemptThenGivesUpSayingHowManyAttempts() {
        assertEquals(Optional.empty(), budget.noRetry(job(2, 0), UNAVAILABLE));
        assertEquals(Optional.of(new JobError("provider_unavailable", "gave up after 3 attempts; last: 503")),
                budget.noRetry(job(3, 0), UNAVAILABLE));
    }

    @Test
    void aRateLimitNotCooledDownIsAPassingFailureToo() {
        ProviderOutcome.RateLimited limited = new ProviderOutcome.RateLimited("rate_limited", "429", Optional.empty(), false, Optional.empty());

        assertEquals(Optional.empty(), budget.noRetry(job(1, 0), limited));
    }

    @Test
    void anAmbiguousCallIsRetriedAsOftenAsThePolicySaysCountingTheEarlierOnes() {
        assertEquals(Optional.empty(), budget.noRetry(job(1, 0), TIMEOUT));
        assertEquals(Optional.of(new JobError("provider_timeout",
                        "not retried: the provider may have generated and billed it (2 ambiguous calls, policy allows 1 retries); last: no answer")),
                budget.noRetry(job(2, 1), TIMEOUT));
    }

    @Test
    void moreLostWorkersThanAmbiguousRetriesMeansNoNewCall() {
        assertEquals(Optional.empty(), budget.tooManyLost(job(2, 1)));
        JobError error = budget.tooManyLost(job(3, 2)).orElseThrow();
        assertEquals("worker_lost", error.type());
        assertEquals("not retried: a worker was lost during an earlier call, which the provider may have generated and billed "
                + "(2 such calls, policy allows 1 retries)", error.message());
    }

    /** A job on its {@code attempts}th claim whose log holds {@code ambiguous} ambiguous calls. */
    private static Job job(int attempts, int ambiguous) {
        GenerationRequest request = new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", 1, Map.of());
        Attempt call = new Attempt(1, "gemini", "project-a", request.model(), NOW, Duration.ZERO, Attempt.Outcome.AMBIGUOUS,
                Optional.of("provider_timeout"), 0, Usage.NONE, BigDecimal.ZERO);
        return new Job(JobId.random(), "alice", JobStatus.RUNNING, request, NOW, Optional.of(NOW), Optional.empty(), attempts,
                Optional.empty(), List.of(), Optional.empty(), Collections.nCopies(ambiguous, call));
    }
}
