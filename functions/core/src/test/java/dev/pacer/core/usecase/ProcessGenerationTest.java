package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.InMemoryQuotaStateStore;
import dev.pacer.core.quota.ModelLimits;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessGenerationTest {

    private static final Account ACCOUNT = new Account("project-a", "gemini", URI.create("http://localhost"), "none",
            Map.of("gemini-3.1-flash-image", ModelLimits.of(100, 100, 1000)), 0, ZoneId.of("America/Los_Angeles"), Optional.empty());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final InMemoryJobs jobs = new InMemoryJobs();
    private final RecordedMetrics metrics = new RecordedMetrics();
    private final RecordedNotices notices = new RecordedNotices();

    @Test
    void onlyAFinishedJobWithACallbackUrlSendsACompletionNotice() {
        JobId plain = jobs.add(request(1), CLOCK.instant());
        Job withCallback = Job.queued(JobId.random(), "alice", request(1), CLOCK.instant()).withCallback(URI.create("https://hooks.example/pacer"));
        jobs.create(withCallback);
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.Refused("safety", "blocked"));

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(plain));
        assertEquals(List.of(), notices.sent);
        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(withCallback.id()));
        assertEquals(List.of(new RecordedNotices.Notice(withCallback.id(), Duration.ZERO)), notices.sent);
    }

    @Test
    void aDeliveryOfAJobAnotherAttemptIsRunningKeepsItsMessageUntilThatAttemptsLeaseEnds() {
        JobId id = jobs.add(request(1), CLOCK.instant());
        jobs.claim(id, CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(120)).orElseThrow();
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.Refused("safety", "blocked"));

        ProcessingResult result = process.process(id);

        // the message may be the one the running attempt started from: deleting it could strand a released job
        assertEquals(Optional.of(Duration.ofSeconds(121)), assertInstanceOf(ProcessingResult.RetryLater.class, result).notBefore(),
                "back one second after the lease ends");
        assertEquals(List.of(), metrics.events(), "no provider call");
        assertEquals(JobStatus.RUNNING, jobs.find(id).orElseThrow().status());
    }

    @Test
    void aRedeliveredFinishedJobWhoseCallbackWasNeverTriedSendsTheNoticeAgainButOnlyThen() {
        Job job = Job.queued(JobId.random(), "alice", request(1), CLOCK.instant()).withCallback(URI.create("https://hooks.example/pacer"));
        jobs.create(job);
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.Refused("safety", "blocked"));
        process.process(job.id());

        // the notice may have been lost after the job was marked: a redelivery of the job's message repeats it
        assertInstanceOf(ProcessingResult.Skipped.class, process.process(job.id()));
        assertEquals(2, notices.sent.size());

        jobs.recordCallback(job.id(), jobs.find(job.id()).orElseThrow().callback().orElseThrow()
                .afterAttempt(Optional.of(500), Optional.empty(), CLOCK.instant()));
        process.process(job.id());
        assertEquals(2, notices.sent.size(), "a callback already being delivered is not announced again");
    }

    @Test
    void anAmbiguousCallIsRetriedOnceByDefaultThenTheJobFailsSayingItMayHaveBeenBilled() {
        JobId id = jobs.add(request(1), CLOCK.instant());
        ProcessGeneration process = process(new RetryPolicy(5, Duration.ofMinutes(13)),
                new ProviderOutcome.Ambiguous("provider_timeout", "no answer within 300 s"));

        assertInstanceOf(ProcessingResult.RetryLater.class, process.process(id));
        assertEquals(JobStatus.QUEUED, jobs.find(id).orElseThrow().status());

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(id));
        Job failed = jobs.find(id).orElseThrow();
        assertEquals("provider_timeout", failed.error().orElseThrow().type());
        assertTrue(failed.error().orElseThrow().message().contains("may have generated and billed"), failed.error()::toString);
        assertEquals(List.of(Attempt.Outcome.AMBIGUOUS, Attempt.Outcome.AMBIGUOUS),
                failed.attemptLog().stream().map(Attempt::outcome).toList());
    }

    @Test
    void withNoAmbiguousRetriesTheFirstAmbiguousCallFailsTheJob() {
        JobId id = jobs.add(request(1), CLOCK.instant());
        ProcessGeneration process = process(new RetryPolicy(5, Duration.ofMinutes(13), 0),
                new ProviderOutcome.Ambiguous("provider_timeout", "no answer"));

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(id));
    }

    @Test
    void aGeneratedAttemptRecordsAccountUsageAndTheEstimatedCost() {
        JobId id = jobs.add(request(2), CLOCK.instant());
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.Generated(List.of(
                new ProviderOutcome.GeneratedImage(new byte[] {1}, "image/jpeg"),
                new ProviderOutcome.GeneratedImage(new byte[] {2}, "image/webp")), new Usage(10, 2580, 2590)));

        assertEquals(new ProcessingResult.Finished(JobStatus.SUCCEEDED), process.process(id));

        Job done = jobs.find(id).orElseThrow();
        Attempt attempt = done.attemptLog().get(0);
        assertEquals("project-a", attempt.account());
        assertEquals("gemini", attempt.provider());
        assertEquals(new Usage(10, 2580, 2590), attempt.usage());
        assertEquals(0, new BigDecimal("0.134").compareTo(attempt.estimatedCostUsd()), attempt.estimatedCostUsd()::toString);
        assertEquals(List.of("generations/" + id + "/0.jpg", "generations/" + id + "/1.webp"),
                done.images().stream().map(StoredImage::key).toList());
        assertEquals(List.of("image/jpeg", "image/webp"), done.images().stream().map(StoredImage::contentType).toList());
    }

    @Test
    void aJobReportsHowLongItQueuedWhatItsCallCostAndItsSuccess() {
        JobId id = jobs.add(request(2), CLOCK.instant().minusSeconds(42));
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.Generated(List.of(
                new ProviderOutcome.GeneratedImage(new byte[] {1}, "image/png"),
                new ProviderOutcome.GeneratedImage(new byte[] {2}, "image/png")), Usage.NONE));

        process.process(id);

        assertEquals(List.of("first call after PT42S", "called GENERATED costing 0.134", "succeeded"), metrics.events());
    }

    @Test
    void aRetriedJobReportsItsQueueWaitOnceEveryCallAndItsFailureByType() {
        JobId id = jobs.add(request(1), CLOCK.instant());
        ProcessGeneration process = process(new RetryPolicy(5, Duration.ofMinutes(13)),
                new ProviderOutcome.Ambiguous("provider_timeout", "no answer within 300 s"));

        process.process(id);
        process.process(id);

        assertEquals(List.of("first call after PT0S", "called AMBIGUOUS costing 0.067", "called AMBIGUOUS costing 0.067",
                "failed provider_timeout"), metrics.events());
    }

    @Test
    void aProviderThatThrowsIsAPassingFailureWhoseMessageNamesNoneOfTheExceptionsText() {
        JobId id = jobs.add(request(1), CLOCK.instant());
        ImageProvider throwing = (request, account) -> {
            throw new IllegalStateException("User: arn:aws:sts::123456789012:assumed-role/pacer-worker/x is not authorized to perform: "
                    + "secretsmanager:GetSecretValue");
        };

        assertInstanceOf(ProcessingResult.RetryLater.class, process(new RetryPolicy(3, Duration.ofMinutes(13)), throwing).process(id));

        JobError error = jobs.find(id).orElseThrow().error().orElseThrow();
        assertEquals(new JobError("provider_error", "the call failed inside pacer (IllegalStateException); it is tried again"), error,
                "what GET, callbacks and events show; the exception's text, role ARN and account id, is in the log");
    }

    private ProcessGeneration process(RetryPolicy policy, ProviderOutcome outcome) {
        return process(policy, (request, account) -> outcome);
    }

    private ProcessGeneration process(RetryPolicy policy, ImageProvider provider) {
        PooledQuotaLedger ledger = new PooledQuotaLedger(new AccountPool(List.of(ACCOUNT)), new InMemoryQuotaStateStore(),
                new QuotaWindows(Duration.ofSeconds(1)), CLOCK, new Random(7));
        return new ProcessGeneration(jobs, ledger, provider, new DiscardedImages(), metrics, notices,
                new ProcessGeneration.Settings(TestCatalog.standard(), policy, TestCatalog.prices(), CLOCK));
    }

    private static GenerationRequest request(int count) {
        return new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K, "1:1", count, Map.of());
    }
}
