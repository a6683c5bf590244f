package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.QuotaWaits;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.MutableClock;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for quota is not a failure, but it ends: a project with no quota for a model answers 429 for ever. Time is a
 * clock the test moves to when each wait ends, so a week of waiting takes no time.
 */
class ProcessGenerationQuotaWaitTest {

    private static final String MODEL = TestCatalog.FLASH;
    private static final Instant T0 = Instant.parse("2026-06-01T17:00:00Z");
    private static final Duration RETRY_DELAY = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryJobs jobs = new InMemoryJobs();
    private int calls;

    /** Every call answers 429 with a retry delay of 5 minutes: about 2,000 of them in the week a job may wait. */
    private final ImageProvider noQuotaEver = (request, account) -> {
        calls++;
        return new ProviderOutcome.RateLimited("rate_limited", "gemini 429 RESOURCE_EXHAUSTED [quota GenerateRequestsPerMinutePerProjectPerModel]",
                Optional.of(RETRY_DELAY), false, Optional.of("GenerateRequestsPerMinutePerProjectPerModel"));
    };

    @Test
    void aJobMeetingA429ForEverEndsFailedWhenItHasWaitedTheLongestItMayWithABoundedLog() {
        JobId id = jobs.add(request(), T0);
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)));

        ProcessingResult last = deliverUntilFinished(process, id, 10_000);

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), last);
        Job failed = jobs.find(id).orElseThrow();
        assertEquals("quota_wait_exceeded", failed.error().orElseThrow().type());
        assertTrue(clock.instant().isAfter(T0.plus(Duration.ofDays(7))), "not before the week was over: " + clock.instant());
        assertTrue(clock.instant().isBefore(T0.plus(Duration.ofDays(7)).plus(RETRY_DELAY.multipliedBy(2))), clock.instant()::toString);
        assertTrue(calls > 2_000, "it met " + calls + " 429s");
        assertTrue(failed.attemptLog().size() <= AttemptLog.RATE_LIMITED_CALLS_KEPT + 1,
                "its log keeps the first few 429s, not all " + calls + ": " + failed.attemptLog().size());
        assertEquals(Attempt.Outcome.RATE_LIMITED, failed.attemptLog().get(0).outcome());
        int waits = failed.quotaWaits().orElseThrow().count();
        assertTrue(waits >= calls - 1, "every wait is counted: " + waits + " for " + calls + " calls");
        assertEquals(T0, failed.quotaWaits().orElseThrow().firstAt());
        assertTrue(failed.error().orElseThrow().message().contains("PACER_MAX_QUOTA_WAIT"), failed.error()::toString);
    }

    @Test
    void aJobWithADeadlineWaitsUntilItsDeadlineAndNoLonger() {
        Job job = Job.queued(JobId.random(), "alice", request(), T0).withDeadline(T0.plus(Duration.ofHours(1)));
        jobs.create(job);
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)));

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), deliverUntilFinished(process, job.id(), 1_000));

        assertTrue(!clock.instant().isBefore(T0.plus(Duration.ofHours(1))), clock.instant()::toString);
        assertTrue(clock.instant().isBefore(T0.plus(Duration.ofHours(1)).plus(RETRY_DELAY.multipliedBy(2))), clock.instant()::toString);
        JobError error = jobs.find(job.id()).orElseThrow().error().orElseThrow();
        assertEquals("quota_wait_exceeded", error.type());
        assertTrue(error.message().contains("its deadline, 2026-06-01T18:00:00Z"), error::message);
    }

    @Test
    void aWaitThatWouldEndPastTheBoundFailsTheJobAtOnceInsteadOfWaiting() {
        // one request a day, used up: the next window opens when the provider day turns, past the job's 2 h bound
        PooledQuotaLedger ledger = ledger(ModelLimits.of(10, 10, 1));
        ImageProvider generates = (request, account) -> new ProviderOutcome.Generated(List.of(
                new ProviderOutcome.GeneratedImage(new byte[] {1}, "image/png")));
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13), 1, Duration.ofHours(2)), ledger, generates);
        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(jobs.add(request(), T0)));
        JobId second = jobs.add(request(), T0);

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(second));

        Job failed = jobs.find(second).orElseThrow();
        assertEquals("quota_wait_exceeded", failed.error().orElseThrow().type());
        assertEquals(Optional.empty(), failed.quotaWaits(), "it never waited");
        assertEquals(T0, clock.instant());
    }

    @Test
    void eachWaitIsCountedInTheJobsSummaryAndOnlyTheFirstFew429sAreLogged() {
        JobId id = jobs.add(request(), T0);
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)));

        for (int delivery = 0; delivery < 40; delivery++) {
            ProcessingResult result = process.process(id);
            clock.set(assertInstanceOf(ProcessingResult.WaitForQuota.class, result).until());
        }

        Job waiting = jobs.find(id).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(20, calls, "a 429, then a wait for the cooldown without a call, each time");
        assertEquals(40, waiting.quotaWaits().map(QuotaWaits::count).orElse(0));
        assertEquals(AttemptLog.RATE_LIMITED_CALLS_KEPT, waiting.attemptLog().size());
        assertEquals(0, waiting.attempts(), "waits use up no attempts");
    }

    /** Delivers the job each time its wait ends, as the queue would, until it finishes; at most {@code deliveries} times. */
    private ProcessingResult deliverUntilFinished(ProcessGeneration process, JobId id, int deliveries) {
        for (int delivery = 0; delivery < deliveries; delivery++) {
            ProcessingResult result = process.process(id);
            if (!(result instanceof ProcessingResult.WaitForQuota wait)) {
                return result;
            }
            clock.set(wait.until().isAfter(clock.instant()) ? wait.until() : clock.instant().plusSeconds(1));
        }
        throw new AssertionError("still waiting after " + deliveries + " deliveries and " + calls + " 429s, at " + clock.instant()
                + ", its log " + jobs.find(id).orElseThrow().attemptLog().size() + " entries long");
    }

    private ProcessGeneration process(RetryPolicy policy) {
        return process(policy, ledger(ModelLimits.of(100, 100, 100_000)), noQuotaEver);
    }

    private ProcessGeneration process(RetryPolicy policy, PooledQuotaLedger ledger, ImageProvider provider) {
        return new ProcessGeneration(jobs, ledger, provider, new DiscardedImages(), new RecordedMetrics(), new RecordedNotices(),
                new ProcessGeneration.Settings(TestCatalog.standard(), policy, TestCatalog.prices(), clock));
    }

    private PooledQuotaLedger ledger(ModelLimits limits) {
        Account account = new Account("project-a", "gemini", URI.create("http://x"), "none", Map.of(MODEL, limits), 0,
                ZoneId.of("America/Los_Angeles"), Optional.empty());
        return new PooledQuotaLedger(new AccountPool(List.of(account)), new InMemoryQuotaStateStore(),
                new QuotaWindows(Duration.ofSeconds(1)), clock, new Random(7));
    }

    private static GenerationRequest request() {
        return new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", 1, Map.of());
    }
}
