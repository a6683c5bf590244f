package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Shortfall;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoDbJobStoreTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private DynamoDbJobStore store;

    @BeforeEach
    void setUp() {
        store = new DynamoDbJobStore(moto.clients().dynamoDb(), moto.resources().physicalId("JobsTable"), Duration.ofDays(30));
    }

    @Test
    void storesAndReadsBackEveryFieldOfANewJob() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox in snow", "gemini-3-pro-image-preview",
                Resolution.FOUR_K, "16:9", 2, Map.of("batch", "winter")), T0);

        store.create(job);

        assertEquals(Optional.of(job), store.find(job.id()));
        var item = moto.clients().dynamoDb().getItem(get -> get.tableName(moto.resources().physicalId("JobsTable"))
                .key(JobItems.key(job.id()))).item();
        assertEquals(Long.toString(T0.plus(Duration.ofDays(30)).getEpochSecond()), item.get("expiresAt").n(), "TTL attribute");
    }

    @Test
    void aCallbackUrlIsStoredWithTheJobAndEachDeliveryAttemptIsRecordedOnIt() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image-preview",
                Resolution.ONE_K, "1:1", 1, Map.of()), T0).withCallback(URI.create("https://hooks.example.com/pacer?k=1"));
        store.create(job);
        assertEquals(Optional.of(job), store.find(job.id()));

        Callback failedOnce = job.callback().orElseThrow().afterAttempt(Optional.empty(), Optional.of("connect timed out"), T0);
        store.recordCallback(job.id(), failedOnce);
        assertEquals(Optional.of(failedOnce), store.find(job.id()).orElseThrow().callback());

        Callback delivered = failedOnce.afterAttempt(Optional.of(204), Optional.empty(), T0.plusSeconds(10));
        store.recordCallback(job.id(), delivered);
        Callback stored = store.find(job.id()).orElseThrow().callback().orElseThrow();
        assertEquals(delivered, stored);
        assertEquals(2, stored.attempts());
        assertEquals(Optional.of(T0.plusSeconds(10)), stored.deliveredAt());
    }

    @Test
    void eachTransitionAppendsItsAttemptsCallsToTheLogWithTheAccountTheLastRanOn() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60));
        Attempt timedOut = new Attempt(1, "gemini", "project-a", "gemini-3-pro-image-preview", T0, Duration.ofSeconds(600),
                Attempt.Outcome.AMBIGUOUS, Optional.of("provider_timeout"), 0, Usage.NONE, new BigDecimal("0.24"));
        Attempt generated = new Attempt(2, "gemini", "project-b", "gemini-3-pro-image-preview", T0.plusSeconds(700),
                Duration.ofMillis(95_250), Attempt.Outcome.GENERATED, Optional.empty(), 1, new Usage(12, 2000, 2012), new BigDecimal("0.24"));

        store.release(job.id(), new JobError("provider_timeout", "no answer"), List.of(timedOut), T0.plusSeconds(600));
        Job retried = store.claim(job.id(), T0.plusSeconds(700), T0.plusSeconds(760)).orElseThrow();
        assertEquals(List.of(timedOut), retried.attemptLog());
        assertEquals(Optional.of("project-a"), retried.account());
        store.markSucceeded(job.id(), List.of(), Optional.empty(), List.of(generated), T0.plusSeconds(800));

        Job found = store.find(job.id()).orElseThrow();
        assertEquals(List.of(timedOut, generated), found.attemptLog());
        assertEquals(Optional.of("project-b"), found.account());
        assertEquals(1, found.ambiguousCalls());
    }

    @Test
    void refusesToCreateTheSameIdTwice() {
        Job job = newJob();
        store.create(job);
        assertThrows(ConditionalCheckFailedException.class, () -> store.create(job));
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertEquals(Optional.empty(), store.find(JobId.random()));
    }

    @Test
    void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
        Job job = newJob();
        store.create(job);
        assertEquals(1, racing(8, () -> store.claim(job.id(), T0, T0.plusSeconds(60)).isPresent()));
        Job running = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(1, running.attempts());
        assertEquals(Optional.of(T0), running.startedAt());
    }

    @Test
    void aRunningJobCanBeReclaimedOnlyAfterItsLeaseExpired() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        assertEquals(Optional.empty(), store.claim(job.id(), T0.plusSeconds(59), T0.plusSeconds(119)));
        Job recovered = store.claim(job.id(), T0.plusSeconds(61), T0.plusSeconds(121)).orElseThrow();
        assertEquals(2, recovered.attempts());
    }

    @Test
    void aFinishedJobIsNeverClaimedAgain() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
        List<StoredImage> images = List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 1234));

        store.markSucceeded(job.id(), images, Optional.empty(), List.of(), T0.plusSeconds(13));

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(images, done.images());
        assertEquals(Optional.of(T0.plusSeconds(13)), done.finishedAt());
        assertEquals(Optional.empty(), store.claim(job.id(), T0.plusSeconds(3600), T0.plusSeconds(3660)));
        assertThrows(ConditionalCheckFailedException.class,
                () -> store.markFailed(job.id(), new JobError("late", "too late"), T0.plusSeconds(14)));
    }

    @Test
    void aJobThatSucceedsShortKeepsWhyTheMissingImagesAreMissingInPlaceOfTheEarlierAttemptsError() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("two foxes", "gemini-3.1-flash-image-preview",
                Resolution.ONE_K, "1:1", 2, Map.of()), T0);
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.release(job.id(), new JobError("provider_unavailable", "503 overloaded"), List.of(), T0.plusSeconds(5));
        store.claim(job.id(), T0.plusSeconds(6), T0.plusSeconds(66)).orElseThrow();
        List<StoredImage> images = List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 1234));

        store.markSucceeded(job.id(), images, Optional.of(new JobError("safety_block", "IMAGE_SAFETY")), List.of(), T0.plusSeconds(13));

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(images, done.images());
        assertEquals(Optional.of(new Shortfall(1, "safety_block", "IMAGE_SAFETY")), done.shortfall());
    }

    @Test
    void releaseReturnsARunningJobToTheQueueWithTheAttemptsError() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        store.release(job.id(), new JobError("provider_unavailable", "503 overloaded"), List.of(), T0.plusSeconds(5));

        Job released = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, released.status());
        assertEquals(Optional.of(new JobError("provider_unavailable", "503 overloaded")), released.error());
        assertTrue(store.claim(job.id(), T0.plusSeconds(6), T0.plusSeconds(66)).isPresent(), "claimable again at once");
    }

    @Test
    void markFailedRecordsTheReason() {
        Job job = newJob();
        store.create(job);

        store.markFailed(job.id(), new JobError("safety_block", "IMAGE_SAFETY"), T0.plusSeconds(1));

        Job failed = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(Optional.of(new JobError("safety_block", "IMAGE_SAFETY")), failed.error());
    }

    @Test
    void anIdempotencyKeyNamesTheFirstJobForTheSameRequestAndRefusesAnotherRequest() {
        IdempotencyKey key = new IdempotencyKey("order-42");
        Job first = newJob();
        assertEquals(new IdempotentCreation.Created(), store.createIdempotently(first, key, "fingerprint-a", T0.plusSeconds(86_400)));

        Job retry = newJob();
        assertEquals(new IdempotentCreation.AlreadySubmitted(first.id()),
                store.createIdempotently(retry, key, "fingerprint-a", T0.plusSeconds(86_400)));
        assertEquals(Optional.empty(), store.find(retry.id()), "the retry stored no job");

        assertEquals(new IdempotentCreation.KeyReused(first.id()),
                store.createIdempotently(newJob(), key, "fingerprint-b", T0.plusSeconds(86_400)));
    }

    @Test
    void idempotencyKeysBelongToTheirOwner() {
        IdempotencyKey key = new IdempotencyKey("same-key");
        Job alices = newJob();
        Job bobs = Job.queued(JobId.random(), "bob", alices.request(), T0);

        assertEquals(new IdempotentCreation.Created(), store.createIdempotently(alices, key, "f", T0.plusSeconds(60)));
        assertEquals(new IdempotentCreation.Created(), store.createIdempotently(bobs, key, "f", T0.plusSeconds(60)));
    }

    @Test
    void concurrentSubmissionsWithOneKeyCreateExactlyOneJob() throws Exception {
        IdempotencyKey key = new IdempotencyKey("burst-key");
        assertEquals(1, racing(8, () -> store.createIdempotently(newJob(), key, "f", T0.plusSeconds(60))
                instanceof IdempotentCreation.Created));
    }

    @Test
    void aJobWaitingForQuotaGivesItsAttemptBackAndIsClaimableAgainOnlyOnce() throws Exception {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        store.waitForQuota(job.id(), T0.plusSeconds(40), List.of(), T0.plusSeconds(1));

        Job waiting = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.WAITING_FOR_QUOTA, waiting.status());
        assertEquals(0, waiting.attempts(), "waiting is not an attempt");
        assertThrows(ConditionalCheckFailedException.class, () -> store.waitForQuota(job.id(), T0, List.of(), T0), "only a RUNNING job starts waiting");
        assertEquals(1, racing(4, () -> store.claim(job.id(), T0.plusSeconds(41), T0.plusSeconds(101)).isPresent()));
        Job running = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(1, running.attempts());
    }

    /** Runs {@code attempt} on {@code threads} threads at once; how many of them won. */
    private static long racing(int threads, Callable<Boolean> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long winners = 0;
            for (Future<Boolean> won : pool.invokeAll(Collections.nCopies(threads, attempt))) {
                winners += won.get() ? 1 : 0;
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Job newJob() {
        return Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image-preview",
                Resolution.ONE_K, "1:1", 1, Map.of()), T0);
    }
}
