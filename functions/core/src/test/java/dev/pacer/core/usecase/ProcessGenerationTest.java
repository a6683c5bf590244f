package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderAccount;
import dev.pacer.core.port.ProviderOutcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessGenerationTest {

    private static final ProviderAccount ACCOUNT = new ProviderAccount("project-a", "gemini", URI.create("http://localhost"), "k");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    private final InMemoryJobs jobs = new InMemoryJobs();

    @Test
    void anAmbiguousCallIsRetriedOnceByDefaultThenTheJobFailsSayingItMayHaveBeenBilled() {
        JobId id = jobs.add(request(1));
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
        JobId id = jobs.add(request(1));
        ProcessGeneration process = process(new RetryPolicy(5, Duration.ofMinutes(13), 0),
                new ProviderOutcome.Ambiguous("provider_timeout", "no answer"));

        assertEquals(new ProcessingResult.Finished(JobStatus.FAILED), process.process(id));
    }

    @Test
    void aRateLimitIsRetriedNotFailedAndPassesOnTheProvidersDelay() {
        JobId id = jobs.add(request(1));
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.RateLimited(
                "rate_limited", "429", Optional.of(Duration.ofSeconds(28)), false, Optional.of("GenerateRequestsPerMinutePerProjectPerModel")));

        var retry = assertInstanceOf(ProcessingResult.RetryLater.class, process.process(id));

        assertEquals(Optional.of(Duration.ofSeconds(28)), retry.notBefore());
        assertEquals(Attempt.Outcome.RATE_LIMITED, jobs.find(id).orElseThrow().attemptLog().get(0).outcome());
    }

    @Test
    void aPerDayRateLimitDoesNotPassOnItsShortRetryDelay() {
        JobId id = jobs.add(request(1));
        ProcessGeneration process = process(new RetryPolicy(3, Duration.ofMinutes(13)), new ProviderOutcome.RateLimited(
                "rate_limited", "429", Optional.of(Duration.ofSeconds(41)), true, Optional.of("GenerateRequestsPerDayPerProjectPerModel")));

        var retry = assertInstanceOf(ProcessingResult.RetryLater.class, process.process(id));

        assertEquals(Optional.of(Duration.ofDays(1)), retry.notBefore(), "the worker caps it at the longest SQS delay");
    }

    @Test
    void aGeneratedAttemptRecordsAccountUsageAndTheEstimatedCost() {
        JobId id = jobs.add(request(2));
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

    private ProcessGeneration process(RetryPolicy policy, ProviderOutcome outcome) {
        return new ProcessGeneration(jobs, request -> ACCOUNT, (request, account) -> outcome, new NoImages(), policy,
                PriceTable.parse(PriceTable.SEED), CLOCK);
    }

    private static GenerationRequest request(int count) {
        return new GenerationRequest("a fox", "gemini-3.1-flash-image-preview", Resolution.ONE_K, "1:1", count, Map.of());
    }

    private static final class NoImages implements ImageStore {
        @Override
        public void put(String key, byte[] bytes, String contentType) {
        }

        @Override
        public URI presignedGet(String key, Duration validFor) {
            return URI.create("http://localhost/" + key);
        }
    }

    /** Just enough of the job store's transitions for the use case; the real conditions are tested against moto. */
    private static final class InMemoryJobs implements JobStore {
        private final Map<JobId, Job> jobs = new HashMap<>();

        JobId add(GenerationRequest request) {
            Job job = Job.queued(JobId.random(), "alice", request, CLOCK.instant());
            jobs.put(job.id(), job);
            return job.id();
        }

        @Override
        public void create(Job job) {
            jobs.put(job.id(), job);
        }

        @Override
        public IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt) {
            create(job);
            return new IdempotentCreation.Created();
        }

        @Override
        public Optional<Job> find(JobId id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
            Job j = jobs.get(id);
            if (j == null || j.status() != JobStatus.QUEUED) {
                return Optional.empty();
            }
            return Optional.of(put(new Job(j.id(), j.owner(), JobStatus.RUNNING, j.request(), j.createdAt(), Optional.of(now), j.finishedAt(),
                    j.attempts() + 1, j.account(), j.images(), j.error(), j.attemptLog())));
        }

        @Override
        public void recordAttempt(JobId id, Attempt attempt) {
            Job j = jobs.get(id);
            List<Attempt> log = new ArrayList<>(j.attemptLog());
            log.add(attempt);
            put(new Job(j.id(), j.owner(), j.status(), j.request(), j.createdAt(), j.startedAt(), j.finishedAt(), j.attempts(),
                    Optional.of(attempt.account()), j.images(), j.error(), log));
        }

        @Override
        public void markSucceeded(JobId id, List<StoredImage> images, Instant now) {
            Job j = jobs.get(id);
            put(new Job(j.id(), j.owner(), JobStatus.SUCCEEDED, j.request(), j.createdAt(), j.startedAt(), Optional.of(now), j.attempts(),
                    j.account(), images, Optional.empty(), j.attemptLog()));
        }

        @Override
        public void markFailed(JobId id, JobError error, Instant now) {
            Job j = jobs.get(id);
            put(new Job(j.id(), j.owner(), JobStatus.FAILED, j.request(), j.createdAt(), j.startedAt(), Optional.of(now), j.attempts(),
                    j.account(), j.images(), Optional.of(error), j.attemptLog()));
        }

        @Override
        public void release(JobId id, JobError lastError, Instant now) {
            Job j = jobs.get(id);
            put(new Job(j.id(), j.owner(), JobStatus.QUEUED, j.request(), j.createdAt(), j.startedAt(), j.finishedAt(), j.attempts(),
                    j.account(), j.images(), Optional.of(lastError), j.attemptLog()));
        }

        private Job put(Job job) {
            jobs.put(job.id(), job);
            return job;
        }
    }
}
