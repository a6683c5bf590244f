package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Shortfall;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.quota.RateLimit;
import dev.pacer.core.quota.Reservation;
import dev.pacer.core.quota.ReservationOutcome;
import dev.pacer.core.quota.AccountUsage;
import dev.pacer.core.quota.Demand;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelling: a job no attempt holds ends CANCELLED at once and is never run; a running one goes on with its call but
 * is not tried again; a finished one stays as it is. The worker's side runs through ProcessGeneration.
 */
class CancelGenerationTest {

    private static final String MODEL = TestCatalog.FLASH;
    private static final Account ACCOUNT = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
            Map.of(MODEL, ModelLimits.of(100, 100, 1000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    private static final URI HOOK = URI.create("https://hooks.example/pacer");

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryImages images = new InMemoryImages();
    private final RecordedMetrics metrics = new RecordedMetrics();
    private final RecordedNotices notices = new RecordedNotices();
    private final CancelGeneration cancel = new CancelGeneration(jobs, new ReadGeneration(jobs, images, Duration.ofMinutes(15)), notices,
            metrics, CLOCK);
    /** What the provider answers, in turn; each answer may first do something (the owner cancelling meanwhile). */
    private final Deque<Supplier<ProviderOutcome>> answers = new ArrayDeque<>();
    private int calls;

    @Test
    void aQueuedJobIsCancelledAtOnceWithItsCallbackNoticedAndItsMessageIsSkipped() {
        Job job = queued(1, true);

        CancelGeneration.Outcome outcome = cancel.cancel(job.id(), "alice");

        GenerationView view = assertInstanceOf(CancelGeneration.Outcome.Cancelled.class, outcome).view();
        assertEquals(JobStatus.CANCELLED, view.job().status());
        assertEquals(Optional.of(CLOCK.instant()), view.job().finishedAt());
        assertEquals(List.of(new RecordedNotices.Notice(job.id(), Duration.ZERO)), notices.sent, "its callback is due like any finished job's");
        assertEquals(List.of("cancelled"), metrics.events());

        // the job's message is still in the queue: its delivery finds nothing to run
        assertInstanceOf(ProcessingResult.Skipped.class, process().process(job.id()));
        assertEquals(0, calls, "never run");
    }

    @Test
    void aJobWaitingForQuotaIsCancelledAndNeverClaimedWhenTheWindowOpens() {
        Job job = queued(1, false);
        jobs.claim(job.id(), CLOCK.instant(), CLOCK.instant().plusSeconds(60)).orElseThrow();
        jobs.waitForQuota(job.id(), CLOCK.instant().plusSeconds(30), List.of(), CLOCK.instant());

        assertInstanceOf(CancelGeneration.Outcome.Cancelled.class, cancel.cancel(job.id(), "alice"));

        assertInstanceOf(ProcessingResult.Skipped.class, process().process(job.id()));
        assertEquals(JobStatus.CANCELLED, jobs.find(job.id()).orElseThrow().status());
        assertEquals(List.of(), notices.sent, "no callback URL, no notice");
    }

    @Test
    void cancellingTwiceAnswersTheCancelledJobAgainAndSendsNothingMore() {
        Job job = queued(1, true);
        cancel.cancel(job.id(), "alice");

        assertInstanceOf(CancelGeneration.Outcome.Cancelled.class, cancel.cancel(job.id(), "alice"));
        assertEquals(1, notices.sent.size());
    }

    @Test
    void aRunningJobsCallGoesOnButAFailureThatWouldBeRetriedEndsItCancelled() {
        Job job = queued(1, true);
        answers.add(() -> {
            // the owner cancels while the call is under way
            assertInstanceOf(CancelGeneration.Outcome.Running.class, cancel.cancel(job.id(), "alice"));
            return new ProviderOutcome.RetryLater("provider_unavailable", "503 overloaded");
        });

        assertEquals(new ProcessingResult.Finished(JobStatus.CANCELLED), process().process(job.id()));

        Job cancelled = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(List.of(Attempt.Outcome.RETRY_LATER), cancelled.attemptLog().stream().map(Attempt::outcome).toList(),
                "the call it made is logged");
        assertEquals(Optional.empty(), cancelled.error());
        assertEquals(List.of(new RecordedNotices.Notice(job.id(), Duration.ZERO)), notices.sent);
        assertInstanceOf(ProcessingResult.Skipped.class, process().process(job.id()), "the message that comes back runs nothing");
        assertEquals(1, calls, "not retried");
    }

    @Test
    void aRunningJobThatWouldWaitForQuotaAfterA429EndsCancelledInstead() {
        Job job = queued(1, false);
        answers.add(() -> {
            cancel.cancel(job.id(), "alice");
            return new ProviderOutcome.RateLimited("rate_limited", "429", Optional.of(Duration.ofSeconds(20)), false, Optional.empty());
        });

        assertEquals(new ProcessingResult.Finished(JobStatus.CANCELLED), process().process(job.id()));
        assertEquals(1, calls);
    }

    @Test
    void aRunningJobWhoseCallSucceedsEndsSucceededSinceItsImagesWereMadeAndBilled() {
        Job job = queued(1, false);
        answers.add(() -> {
            cancel.cancel(job.id(), "alice");
            return new ProviderOutcome.Generated(List.of(png()));
        });

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process().process(job.id()));
    }

    @Test
    void aRunningJobWithSomeImagesEndsSucceededWithTheRestCancelled() {
        Job job = queued(2, false);
        answers.add(() -> {
            cancel.cancel(job.id(), "alice");
            return new ProviderOutcome.Partial(new ProviderOutcome.Generated(List.of(png())),
                    new ProviderOutcome.RetryLater("provider_unavailable", "503"));
        });

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process().process(job.id()));

        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(1, done.images().size(), "the image made is kept");
        assertEquals("cancelled", done.shortfall().map(Shortfall::type).orElseThrow());
        assertEquals(1, calls);
    }

    @Test
    void aRunningJobWhoseAttemptFailsBeforeItsCallIsNotGivenBackButEndsCancelled() {
        Job job = queued(1, false);
        PooledQuotaLedger real = ledger();
        QuotaLedger failing = new QuotaLedger() {
            @Override
            public ReservationOutcome reserve(String model, Demand demand, Duration hold) {
                // the owner cancels, then the ledger's table is unreachable: the attempt fails before any call
                assertInstanceOf(CancelGeneration.Outcome.Running.class, cancel.cancel(job.id(), "alice"));
                throw new IllegalStateException("DynamoDB unreachable");
            }

            @Override
            public void release(Reservation reservation, dev.pacer.core.quota.CallReport report) {
                real.release(reservation, report);
            }

            @Override
            public Instant coolDown(Reservation reservation, RateLimit rateLimit) {
                return real.coolDown(reservation, rateLimit);
            }

            @Override
            public List<AccountUsage> usage() {
                return real.usage();
            }
        };

        assertEquals(new ProcessingResult.Finished(JobStatus.CANCELLED), process(failing).process(job.id()));
        assertEquals(JobStatus.CANCELLED, jobs.find(job.id()).orElseThrow().status());
        assertEquals(0, calls);
    }

    @Test
    void aRunningJobWhoseAttemptDiedIsTakenOverOnlyToBeEndedCancelled() {
        Job job = queued(1, false);
        Instant earlier = CLOCK.instant().minus(Duration.ofMinutes(20));
        jobs.claim(job.id(), earlier, earlier.plus(Duration.ofMinutes(13))).orElseThrow();
        assertInstanceOf(CancelGeneration.Outcome.Running.class, cancel.cancel(job.id(), "alice"));

        // the crashed attempt's message comes back after its lease
        assertEquals(new ProcessingResult.Finished(JobStatus.CANCELLED), process().process(job.id()));

        Job cancelled = jobs.find(job.id()).orElseThrow();
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(List.of(Attempt.Outcome.AMBIGUOUS), cancelled.attemptLog().stream().map(Attempt::outcome).toList(),
                "the lost attempt is logged as such");
        assertEquals(0, calls, "no new call");
    }

    @Test
    void aFinishedJobStaysAsItIsAndSomeoneElsesIsNotFound() {
        Job job = queued(1, false);
        jobs.markFailed(job.id(), new JobError("safety_block", "IMAGE_SAFETY"), CLOCK.instant());

        assertInstanceOf(CancelGeneration.Outcome.Finished.class, cancel.cancel(job.id(), "alice"));
        assertEquals(JobStatus.FAILED, jobs.find(job.id()).orElseThrow().status());
        assertEquals(new CancelGeneration.Outcome.NotFound(), cancel.cancel(queued(1, false).id(), "mallory"));
        assertEquals(new CancelGeneration.Outcome.NotFound(), cancel.cancel(JobId.random(), "alice"));
        assertTrue(metrics.events().isEmpty());
    }

    private Job queued(int count, boolean withCallback) {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of()),
                CLOCK.instant());
        if (withCallback) {
            job = job.withCallback(HOOK);
        }
        jobs.create(job);
        return job;
    }

    private ProcessGeneration process() {
        return process(ledger());
    }

    private static PooledQuotaLedger ledger() {
        return new PooledQuotaLedger(new AccountPool(List.of(ACCOUNT)), new InMemoryQuotaStateStore(),
                new QuotaWindows(Duration.ofSeconds(1)), CLOCK, new Random(7));
    }

    private ProcessGeneration process(QuotaLedger ledger) {
        ImageProvider provider = (request, account) -> {
            calls++;
            return answers.removeFirst().get();
        };
        return new ProcessGeneration(jobs, ledger, provider, images, metrics, notices,
                new ProcessGeneration.Settings(TestCatalog.standard(), new RetryPolicy(3, Duration.ofMinutes(13)),
                        TestCatalog.prices(), CLOCK));
    }

    private static ProviderOutcome.GeneratedImage png() {
        return new ProviderOutcome.GeneratedImage(new byte[] {1, 2, 3}, "image/png");
    }
}
