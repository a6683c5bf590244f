package dev.pacer.core.port;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.JobTransition;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.QuotaWaits;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.job.Shortfall;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link JobStore} does, run against each of them: the DynamoDB store on moto and the in-memory one the
 * use cases' tests use. Each write takes a job only where its {@link JobTransition} may start, lease included, and
 * a refused write changes nothing. A subclass says which store, and what that store throws when it refuses a write.
 */
public abstract class JobStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    /** When the lifecycle tests make their move: within a lease of 60 s taken at T0, after one of 10 s. */
    private static final Instant MOVE_AT = T0.plusSeconds(30);
    private static final URI HOOK = URI.create("https://hooks.example.com/pacer?k=1");
    private static final String BATCH_ID = "batch-7";
    private static final LaneChoice BATCH_LANE = new LaneChoice(Lane.BATCH, "asked for the batch lane");
    private static final LaneChoice SYNC_AFTER_BATCH = new LaneChoice(Lane.SYNC, "the batch expired and the deadline leaves no time for another");
    private static final String TOO_CLOSE = "the deadline 2026-11-28T08:00:00Z leaves too little for a batch: 22 h, less than the batch lane's 26 h";

    private JobStore store;

    /** The store under test, asked for before each test. Job ids are random, so one table may serve them all. */
    protected abstract JobStore newStore();

    /** What the store throws when it refuses a write: a move the job may not take, or an id that exists. */
    protected abstract Class<? extends RuntimeException> refusal();

    @BeforeEach
    void newStoreForTheTest() {
        store = newStore();
    }

    @Test
    void storesAndReadsBackEveryFieldOfANewJob() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox in snow", "gemini-3-pro-image",
                Resolution.FOUR_K, "16:9", 2, Map.of("batch", "winter")), T0);

        store.create(job);

        assertEquals(Optional.of(job), store.find(job.id()));
    }

    @Test
    void aDeadlineIsStoredWithTheJobAndKeptThroughItsTransitions() {
        Job job = newJob().withDeadline(T0.plusSeconds(3600));
        store.create(job);
        assertEquals(Optional.of(job), store.find(job.id()));

        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.waitForQuota(job.id(), T0.plusSeconds(40), List.of(), T0.plusSeconds(1));
        store.claim(job.id(), T0.plusSeconds(41), T0.plusSeconds(101)).orElseThrow();
        store.markFailed(job.id(), new JobError("quota_wait_exceeded", "no room before the deadline"), List.of(), T0.plusSeconds(42));

        assertEquals(Optional.of(T0.plusSeconds(3600)), store.find(job.id()).orElseThrow().deadline());
    }

    @Test
    void eachWaitForQuotaIsCountedInTheJobsSummaryNotAppended() {
        Job job = newJob();
        store.create(job);
        for (int wait = 0; wait < 3; wait++) {
            Instant at = T0.plusSeconds(100L * wait);
            store.claim(job.id(), at, at.plusSeconds(60)).orElseThrow();
            store.waitForQuota(job.id(), at.plusSeconds(50), List.of(), at.plusSeconds(1));
        }

        Job waiting = store.find(job.id()).orElseThrow();
        assertEquals(Optional.of(new QuotaWaits(3, T0.plusSeconds(1), T0.plusSeconds(201))), waiting.quotaWaits());
        assertEquals(List.of(), waiting.attemptLog());
        assertEquals(0, waiting.attempts());
    }

    @Test
    void aCallbackUrlIsStoredWithTheJobAndEachDeliveryAttemptIsRecordedOnIt() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image",
                Resolution.ONE_K, "1:1", 1, Map.of()), T0).withCallback(HOOK);
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
        Attempt timedOut = new Attempt(1, "gemini", "project-a", "gemini-3-pro-image", T0, Duration.ofSeconds(600),
                Attempt.Outcome.AMBIGUOUS, Optional.of("provider_timeout"), 0, Usage.NONE, new BigDecimal("0.24"));
        Attempt generated = new Attempt(2, "gemini", "project-b", "gemini-3-pro-image", T0.plusSeconds(700),
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
    void anAttemptThatMadeNoCallsKeepsTheLogAndTheAccount() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.release(job.id(), new JobError("provider_timeout", "no answer"), List.of(call(1, "project-a")), T0.plusSeconds(5));
        store.claim(job.id(), T0.plusSeconds(6), T0.plusSeconds(66)).orElseThrow();

        store.waitForQuota(job.id(), T0.plusSeconds(40), List.of(), T0.plusSeconds(7));

        Job waiting = store.find(job.id()).orElseThrow();
        assertEquals(List.of(call(1, "project-a")), waiting.attemptLog());
        assertEquals(Optional.of("project-a"), waiting.account());
    }

    @Test
    void aBatchLaneJobWaitsForTheCollectorOldestFirstPerModelUntilItIsBatched() {
        String model = "gemini-3-pro-image";
        Job older = batchLaneJob(model, T0);
        Job newer = batchLaneJob(model, T0.plusSeconds(5));
        Job otherModel = batchLaneJob("gemini-2.5-flash-image", T0);
        for (Job job : List.of(newer, older, otherModel)) {
            store.create(job);
        }
        Job syncJob = Job.queued(JobId.random(), "alice", older.request(), T0);
        store.create(syncJob);
        assertEquals(Optional.of(older), store.find(older.id()), "the lane is stored with the job");

        List<JobId> waiting = waitingIds(model, older, newer);
        assertEquals(List.of(older.id(), newer.id()), waiting, "oldest first, only this model's batch-lane jobs");

        Job batched = store.batch(older.id(), BATCH_ID, T0.plusSeconds(10)).orElseThrow();
        assertEquals(JobStatus.BATCHED, batched.status());
        assertEquals(BATCH_LANE, batched.lane());
        assertEquals(Optional.empty(), store.batch(older.id(), "another-batch", T0.plusSeconds(11)), "never in two batches");
        store.cancel(newer.id(), T0.plusSeconds(12)).orElseThrow();
        assertEquals(List.of(), waitingIds(model, older, newer), "batched and cancelled jobs wait no more");

        assertTrue(store.unbatch(older.id(), BATCH_ID, BATCH_LANE, new JobError("batch_expired", "expired"), List.of(), T0.plusSeconds(20)));
        assertEquals(List.of(older.id()), waitingIds(model, older, newer), "back to waiting for the next batch");
    }

    @Test
    void aBatchWriteNamingAnotherBatchIsRefusedAndChangesNothing() {
        Job job = batchLaneJob("gemini-3-pro-image", T0);
        store.create(job);
        Job batched = store.batch(job.id(), BATCH_ID, T0.plusSeconds(1)).orElseThrow();

        assertFalse(store.succeedBatched(job.id(), "older-batch", List.of(image(job.id())), Optional.empty(), List.of(), T0.plusSeconds(2)));
        assertFalse(store.failBatched(job.id(), "older-batch", new JobError("x", "y"), List.of(), T0.plusSeconds(2)));
        assertFalse(store.unbatch(job.id(), "older-batch", BATCH_LANE, new JobError("x", "y"), List.of(), T0.plusSeconds(2)));

        assertEquals(Optional.of(batched), store.find(job.id()));
        assertTrue(store.succeedBatched(job.id(), BATCH_ID, List.of(image(job.id())), Optional.empty(), List.of(), T0.plusSeconds(3)));
        assertFalse(store.succeedBatched(job.id(), BATCH_ID, List.of(image(job.id())), Optional.empty(), List.of(), T0.plusSeconds(4)),
                "a line that came back twice ends its job once");
    }

    @Test
    void aWaitingJobMovedToTheSyncLaneWaitsNoMoreAndIsListedUntilItsMessageIsSaidToBeSent() {
        String model = "gemini-3-pro-image";
        Job moved = batchLaneJob(model, T0);
        Job stays = batchLaneJob(model, T0.plusSeconds(1));
        Job otherModel = batchLaneJob("gemini-2.5-flash-image", T0);
        for (Job job : List.of(moved, stays, otherModel)) {
            store.create(job);
        }

        assertTrue(store.moveToSyncLane(moved.id(), TOO_CLOSE, T0.plusSeconds(10)));
        assertFalse(store.moveToSyncLane(moved.id(), TOO_CLOSE, T0.plusSeconds(11)), "on the sync lane already");
        assertTrue(store.moveToSyncLane(otherModel.id(), TOO_CLOSE, T0.plusSeconds(10)));

        Job now = store.find(moved.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, now.status());
        assertEquals(new LaneChoice(Lane.SYNC, TOO_CLOSE), now.lane());
        assertEquals(List.of(stays.id()), waitingIds(model, moved, stays), "it waits for a batch no more");
        assertEquals(List.of(moved.id()), movedIds(model, moved, stays, otherModel), "listed until its message is sent, per model");

        store.sentToSyncQueue(moved.id());
        store.sentToSyncQueue(stays.id()); // never moved: nothing changes
        assertEquals(List.of(), movedIds(model, moved, stays, otherModel));
        assertEquals(List.of(stays.id()), waitingIds(model, moved, stays), "a job never moved still waits");
        assertEquals(List.of(otherModel.id()), movedIds("gemini-2.5-flash-image", otherModel));
    }

    @Test
    void aMovedJobIsClaimedByAWorkerAndStaysListedUntilItsMessageIsSaidToBeSent() {
        String model = "gemini-3-pro-image";
        Job job = batchLaneJob(model, T0);
        store.create(job);
        assertTrue(store.moveToSyncLane(job.id(), TOO_CLOSE, T0.plusSeconds(1)));

        Job claimed = store.claim(job.id(), T0.plusSeconds(2), T0.plusSeconds(62)).orElseThrow();

        assertEquals(JobStatus.RUNNING, claimed.status());
        assertEquals(Lane.SYNC, claimed.lane().lane());
        assertEquals(List.of(job.id()), movedIds(model, job), "a collector that died before saying so sends it again");
        store.sentToSyncQueue(job.id());
        assertEquals(List.of(), movedIds(model, job));
        assertEquals(JobStatus.RUNNING, store.find(job.id()).orElseThrow().status(), "saying it was sent changes nothing else");
    }

    @Test
    void aJobACollectorTookIntoABatchIsNotMovedToTheSyncLane() {
        Job job = batchLaneJob("gemini-3-pro-image", T0);
        store.create(job);
        Job batched = store.batch(job.id(), BATCH_ID, T0.plusSeconds(1)).orElseThrow();

        assertFalse(store.moveToSyncLane(job.id(), TOO_CLOSE, T0.plusSeconds(2)));

        assertEquals(Optional.of(batched), store.find(job.id()));
        assertEquals(List.of(), movedIds("gemini-3-pro-image", job));
    }

    private List<JobId> movedIds(String model, Job... candidates) {
        List<JobId> mine = List.of(candidates).stream().map(Job::id).toList();
        return store.movedToSyncLane(model, 100).stream().map(Job::id).filter(mine::contains).toList();
    }

    /** The ones of {@code candidates} the store lists as waiting, in its order; the DynamoDB index may lag, so it is asked until it agrees twice. */
    private List<JobId> waitingIds(String model, Job... candidates) {
        List<JobId> mine = List.of(candidates).stream().map(Job::id).toList();
        return store.waitingForBatch(model, 100).stream().map(Job::id).filter(mine::contains).toList();
    }

    private static Job batchLaneJob(String model, Instant at) {
        return Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", model, Resolution.ONE_K, "1:1", 1, Map.of()), at)
                .withLane(BATCH_LANE);
    }

    @Test
    void refusesToCreateTheSameIdTwice() {
        Job job = newJob();
        store.create(job);
        assertThrows(refusal(), () -> store.create(job));
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
    void aLeaseHoldsThroughItsLastMillisecond() {
        Job job = newJob();
        store.create(job);
        Instant leaseEnd = T0.plusMillis(60_123);
        store.claim(job.id(), T0, leaseEnd).orElseThrow();

        assertEquals(Optional.empty(), store.claim(job.id(), leaseEnd, leaseEnd.plusSeconds(60)));
        assertEquals(Optional.empty(), store.claim(job.id(), leaseEnd.plusNanos(999_999), leaseEnd.plusSeconds(60)));
        assertTrue(store.claim(job.id(), leaseEnd.plusMillis(1), leaseEnd.plusSeconds(60)).isPresent());
    }

    @Test
    void aTakeoverIsANewAttemptWithItsOwnLeaseAndExactlyOneOfManyWins() throws Exception {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(10)).orElseThrow();

        assertEquals(1, racing(8, () -> store.claim(job.id(), T0.plusSeconds(11), T0.plusSeconds(71)).isPresent()));

        Job takenOver = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, takenOver.status());
        assertEquals(2, takenOver.attempts());
        assertEquals(Optional.of(T0.plusSeconds(11)), takenOver.startedAt());
        assertEquals(Optional.of(T0.plusSeconds(71)), takenOver.leaseUntil());
        assertEquals(Optional.empty(), store.claim(job.id(), T0.plusSeconds(12), T0.plusSeconds(72)), "the new lease holds");
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
        assertThrows(refusal(), () -> store.markFailed(job.id(), new JobError("late", "too late"), T0.plusSeconds(14)));
    }

    @Test
    void aJobThatSucceedsShortKeepsWhyTheMissingImagesAreMissingInPlaceOfTheEarlierAttemptsError() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("two foxes", "gemini-3.1-flash-image",
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
    void aJobThatSucceedsInFullDropsTheEarlierAttemptsError() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.release(job.id(), new JobError("provider_unavailable", "503 overloaded"), List.of(), T0.plusSeconds(5));
        store.claim(job.id(), T0.plusSeconds(6), T0.plusSeconds(66)).orElseThrow();

        store.markSucceeded(job.id(), List.of(new StoredImage("generations/" + job.id() + "/0.png", "image/png", 1234)),
                Optional.empty(), List.of(), T0.plusSeconds(13));

        assertEquals(Optional.empty(), store.find(job.id()).orElseThrow().error());
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
    void anAttemptGivenBackReturnsTheJobToTheQueueAsIfItHadNotBeenClaimed() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        store.giveBack(job.id(), new JobError("internal_error", "failed before the call"), List.of(), T0.plusSeconds(1));

        Job released = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, released.status());
        assertEquals(0, released.attempts(), "no attempt is left without its call in the log");
        assertEquals(Optional.empty(), released.leaseUntil());
        assertEquals(1, store.claim(job.id(), T0.plusSeconds(2), T0.plusSeconds(62)).orElseThrow().attempts());
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
        assertThrows(refusal(), () -> store.waitForQuota(job.id(), T0, List.of(), T0), "only a RUNNING job starts waiting");
        assertEquals(1, racing(4, () -> store.claim(job.id(), T0.plusSeconds(41), T0.plusSeconds(101)).isPresent()));
        Job running = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(1, running.attempts());
    }

    @Test
    void aQueuedOrWaitingJobIsCancelledForGoodAndNeverClaimedAfterwards() {
        Job queued = newJob();
        store.create(queued);
        Job waiting = newJob();
        store.create(waiting);
        store.claim(waiting.id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.waitForQuota(waiting.id(), T0.plusSeconds(40), List.of(), T0.plusSeconds(1));

        for (Job job : List.of(queued, waiting)) {
            Job cancelled = store.cancel(job.id(), T0.plusSeconds(2)).orElseThrow();

            assertEquals(JobStatus.CANCELLED, cancelled.status());
            assertEquals(Optional.of(cancelled), store.find(job.id()), "answers the job as stored");
            assertEquals(Optional.of(T0.plusSeconds(2)), cancelled.finishedAt());
            assertEquals(Optional.empty(), store.claim(job.id(), T0.plusSeconds(60), T0.plusSeconds(120)), "never run");
            assertEquals(Optional.empty(), store.cancel(job.id(), T0.plusSeconds(3)), "cancelled once");
            assertThrows(refusal(), () -> store.markFailed(job.id(), new JobError("dead_lettered", "late"), T0.plusSeconds(4)));
        }
    }

    @Test
    void aRunningJobIsNotCancelledButItsRequestStopsTheRetryAndTheAttemptEndsItCancelled() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        assertEquals(Optional.empty(), store.cancel(job.id(), T0.plusSeconds(1)), "its call cannot be taken back");
        Job asked = store.requestCancel(job.id(), T0.plusSeconds(2)).orElseThrow();
        assertEquals(JobStatus.RUNNING, asked.status());
        assertEquals(Optional.of(T0.plusSeconds(2)), asked.cancelRequestedAt());
        assertEquals(Optional.of(T0.plusSeconds(2)), store.requestCancel(job.id(), T0.plusSeconds(3)).orElseThrow().cancelRequestedAt(),
                "asking again changes nothing");

        assertEquals(Requeue.CANCEL_REQUESTED, store.release(job.id(), new JobError("provider_unavailable", "503"), List.of(call(1, "a")),
                T0.plusSeconds(10)));
        assertEquals(Requeue.CANCEL_REQUESTED, store.waitForQuota(job.id(), T0.plusSeconds(60), List.of(call(1, "a")), T0.plusSeconds(10)));
        assertEquals(Optional.of(asked), store.find(job.id()), "neither wrote anything");

        store.cancelInsteadOfRetry(job.id(), List.of(call(1, "project-a")), T0.plusSeconds(11));

        Job cancelled = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(Optional.of(T0.plusSeconds(11)), cancelled.finishedAt());
        assertEquals(List.of(call(1, "project-a")), cancelled.attemptLog());
        assertEquals(Optional.empty(), cancelled.leaseUntil());
        assertEquals(Optional.empty(), store.claim(job.id(), T0.plusSeconds(3600), T0.plusSeconds(3660)), "never tried again");
    }

    @Test
    void aRunningJobWhoseOwnerDidNotAskIsNotCancelledByItsAttempt() {
        Job job = newJob();
        store.create(job);
        store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();

        assertThrows(refusal(), () -> store.cancelInsteadOfRetry(job.id(), List.of(), T0.plusSeconds(1)));
        assertEquals(Optional.empty(), store.requestCancel(newJobStored().id(), T0), "only a RUNNING job takes a request");
    }

    private Job newJobStored() {
        Job job = newJob();
        store.create(job);
        return job;
    }

    @Test
    void anOwnersUnfinishedJobsCountFromTheirCreationUntilTheWriteThatEndsThem() {
        String owner = "carol-" + JobId.random();
        List<Job> carols = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            Job job = Job.queued(JobId.random(), owner, newJob().request(), T0);
            store.create(job);
            carols.add(job);
        }
        store.create(Job.queued(JobId.random(), "someone-else-" + JobId.random(), newJob().request(), T0));
        store.claim(carols.get(0).id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.claim(carols.get(1).id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.waitForQuota(carols.get(1).id(), T0.plusSeconds(30), List.of(), T0.plusSeconds(1));
        store.claim(carols.get(2).id(), T0, T0.plusSeconds(60)).orElseThrow();
        store.release(carols.get(2).id(), new JobError("provider_unavailable", "503"), List.of(), T0.plusSeconds(1));
        assertEquals(5, store.unfinished(owner, 100), "queued, running, waiting and released jobs all count");
        assertEquals(3, store.unfinished(owner, 3), "counted no further than asked");

        store.markSucceeded(carols.get(0).id(), List.of(image(carols.get(0).id())), Optional.empty(), List.of(), T0.plusSeconds(13));
        store.markFailed(carols.get(1).id(), new JobError("dead_lettered", "gave up"), T0.plusSeconds(14));
        store.cancel(carols.get(3).id(), T0.plusSeconds(15)).orElseThrow();
        store.recordCallback(carols.get(0).id(), deliveredCallback());

        assertEquals(2, store.unfinished(owner, 100), "each job that ended left the count in the write that ended it");
        assertEquals(0, store.unfinished("nobody-" + JobId.random(), 100));
    }

    @Test
    void aJobCreatedWithAnIdempotencyKeyCountsToo() {
        String owner = "dave-" + JobId.random();
        Job job = Job.queued(JobId.random(), owner, newJob().request(), T0);

        store.createIdempotently(job, new IdempotencyKey("k-1"), "f", T0.plusSeconds(60));
        store.createIdempotently(Job.queued(JobId.random(), owner, newJob().request(), T0), new IdempotencyKey("k-1"), "f",
                T0.plusSeconds(60));

        assertEquals(1, store.unfinished(owner, 100), "the replay stored nothing to count");
    }

    /** The job store's writes, each with the transitions it may make. */
    protected enum Write {
        CLAIM(JobTransition.CLAIM, JobTransition.TAKE_OVER),
        MARK_SUCCEEDED(JobTransition.SUCCEED),
        MARK_FAILED(JobTransition.FAIL),
        RELEASE(JobTransition.RELEASE),
        GIVE_BACK(JobTransition.RELEASE),
        WAIT_FOR_QUOTA(JobTransition.WAIT_FOR_QUOTA),
        CANCEL(JobTransition.CANCEL),
        REQUEST_CANCEL(JobTransition.REQUEST_CANCEL),
        CANCEL_INSTEAD_OF_RETRY(JobTransition.CANCEL_INSTEAD_OF_RETRY),
        RECORD_CALLBACK(JobTransition.RECORD_CALLBACK),
        BATCH(JobTransition.BATCH),
        SUCCEED_BATCHED(JobTransition.SUCCEED_BATCHED),
        FAIL_BATCHED(JobTransition.FAIL_BATCHED),
        UNBATCH(JobTransition.UNBATCH),
        MOVE_TO_SYNC_LANE(JobTransition.MOVE_TO_SYNC_LANE);

        private final Set<JobTransition> transitions;

        Write(JobTransition first, JobTransition... more) {
            this.transitions = EnumSet.of(first, more);
        }

        boolean allowed(Job job, Instant now) {
            return transitions.stream().anyMatch(t -> t.allows(job, now));
        }
    }

    /**
     * Where a job may be when a write comes: each status, RUNNING both while its lease holds and after, and RUNNING
     * after its owner asked to cancel it.
     */
    protected enum Start { QUEUED, QUEUED_ON_BATCH_LANE, WAITING_FOR_QUOTA, RUNNING_LEASE_HELD, RUNNING_LEASE_EXPIRED, RUNNING_CANCEL_REQUESTED, SUCCEEDED, FAILED,
        CANCELLED, BATCHED }

    static Stream<Arguments> everyWriteFromEveryStart() {
        List<Arguments> all = new ArrayList<>();
        for (Write write : Write.values()) {
            for (Start start : Start.values()) {
                all.add(Arguments.of(write, start));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyWriteFromEveryStart")
    void eachWriteTakesAJobOnlyWhereItsTransitionStartsAndARefusedOneChangesNothing(Write write, Start start) {
        Job before = jobIn(start);
        boolean allowed = write.allowed(before, MOVE_AT);

        boolean taken = make(write, before.id());

        assertEquals(allowed, taken, write + " from " + start);
        Job after = store.find(before.id()).orElseThrow();
        if (!allowed) {
            assertEquals(before, after, "a refused write changes nothing");
            return;
        }
        // each write's own bookkeeping, besides the status
        Attempt call = call(7, "project-z");
        List<Attempt> logged = new ArrayList<>(before.attemptLog());
        logged.add(call);
        switch (write) {
            case CLAIM -> {
                assertEquals(JobStatus.RUNNING, after.status());
                assertEquals(before.attempts() + 1, after.attempts(), "a claim is an attempt");
                assertEquals(Optional.of(MOVE_AT), after.startedAt());
                assertEquals(Optional.of(MOVE_AT.plusSeconds(60)), after.leaseUntil());
                assertEquals(before.attemptLog(), after.attemptLog());
            }
            case MARK_SUCCEEDED -> {
                assertEquals(JobStatus.SUCCEEDED, after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(List.of(image(before.id())), after.images());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
                assertEquals(Optional.empty(), after.error());
            }
            case MARK_FAILED -> {
                assertEquals(JobStatus.FAILED, after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(Optional.of(new JobError("safety_block", "IMAGE_SAFETY")), after.error());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
            }
            case RELEASE -> {
                assertEquals(JobStatus.QUEUED, after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(Optional.of(new JobError("provider_unavailable", "503")), after.error());
                assertEquals(Optional.empty(), after.finishedAt(), "released, not finished");
            }
            case GIVE_BACK -> {
                assertEquals(JobStatus.QUEUED, after.status());
                assertEquals(before.attempts() - 1, after.attempts(), "the attempt is given back");
                assertEquals(Optional.of(new JobError("internal_error", "failed before the call")), after.error());
                assertEquals(Optional.empty(), after.finishedAt(), "released, not finished");
            }
            case WAIT_FOR_QUOTA -> {
                assertEquals(JobStatus.WAITING_FOR_QUOTA, after.status());
                assertEquals(before.attempts() - 1, after.attempts(), "the attempt is given back");
                assertEquals(Optional.of(before.quotaWaits().map(waits -> waits.and(MOVE_AT)).orElse(QuotaWaits.first(MOVE_AT))),
                        after.quotaWaits(), "the wait is counted");
                assertEquals(before.error(), after.error());
                assertEquals(Optional.empty(), after.finishedAt(), "waiting, not finished");
            }
            case CANCEL -> {
                assertEquals(JobStatus.CANCELLED, after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
                assertEquals(Optional.empty(), after.error());
                assertEquals(Optional.empty(), after.leaseUntil());
                assertEquals(before.attemptLog(), after.attemptLog());
            }
            case REQUEST_CANCEL -> {
                assertEquals(JobStatus.RUNNING, after.status(), "the call under way goes on");
                assertEquals(before.cancelRequestedAt().or(() -> Optional.of(MOVE_AT)), after.cancelRequestedAt(), "the first request counts");
                assertEquals(before.leaseUntil(), after.leaseUntil());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(before.attemptLog(), after.attemptLog());
            }
            case CANCEL_INSTEAD_OF_RETRY -> {
                assertEquals(JobStatus.CANCELLED, after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
                assertEquals(Optional.empty(), after.error());
            }
            case RECORD_CALLBACK -> {
                assertEquals(before.status(), after.status());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(before.leaseUntil(), after.leaseUntil());
                assertEquals(Optional.of(deliveredCallback()), after.callback());
            }
            case BATCH -> {
                assertEquals(JobStatus.BATCHED, after.status());
                assertEquals(before.attempts() + 1, after.attempts(), "each batch a job goes in is an attempt");
                assertEquals(Optional.of(BATCH_ID), after.batchId());
                assertEquals(Optional.of(MOVE_AT), after.startedAt());
                assertEquals(before.attemptLog(), after.attemptLog());
            }
            case SUCCEED_BATCHED -> {
                assertEquals(JobStatus.SUCCEEDED, after.status());
                assertEquals(List.of(image(before.id())), after.images());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
                assertEquals(Optional.empty(), after.error());
            }
            case FAIL_BATCHED -> {
                assertEquals(JobStatus.FAILED, after.status());
                assertEquals(Optional.of(new JobError("safety_block", "IMAGE_SAFETY")), after.error());
                assertEquals(Optional.of(MOVE_AT), after.finishedAt());
            }
            case UNBATCH -> {
                assertEquals(JobStatus.QUEUED, after.status());
                assertEquals(SYNC_AFTER_BATCH, after.lane());
                assertEquals(Optional.of(new JobError("batch_expired", "the batch expired")), after.error());
                assertEquals(before.attempts(), after.attempts());
            }
            case MOVE_TO_SYNC_LANE -> {
                assertEquals(JobStatus.QUEUED, after.status(), "still to run, now on the sync lane");
                assertEquals(new LaneChoice(Lane.SYNC, TOO_CLOSE), after.lane());
                assertEquals(before.attempts(), after.attempts());
                assertEquals(before.error(), after.error());
                assertEquals(before.attemptLog(), after.attemptLog());
                assertEquals(before.batchId(), after.batchId());
                assertEquals(before.leaseUntil(), after.leaseUntil());
            }
        }
        if (!Set.of(Write.CLAIM, Write.RECORD_CALLBACK, Write.CANCEL, Write.REQUEST_CANCEL, Write.BATCH, Write.MOVE_TO_SYNC_LANE).contains(write)) {
            assertEquals(Optional.empty(), after.leaseUntil(), "an ended attempt holds no lease");
            assertEquals(logged, after.attemptLog(), "the attempt's calls are appended");
            assertEquals(Optional.of("project-z"), after.account(), "the job ran on the last call's account");
        }
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void noWriteTakesAJobThatDoesNotExist(Write write) {
        JobId unknown = JobId.random();

        assertFalse(make(write, unknown));
        assertEquals(Optional.empty(), store.find(unknown), "nor creates it");
    }

    /** A job brought to {@code start} through the store's own writes, as read back. */
    private Job jobIn(Start start) {
        Job job = newJob().withCallback(HOOK);
        if (start == Start.QUEUED_ON_BATCH_LANE) {
            job = job.withLane(BATCH_LANE);
        }
        store.create(job);
        switch (start) {
            case QUEUED, QUEUED_ON_BATCH_LANE -> {
            }
            case WAITING_FOR_QUOTA -> {
                store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
                store.waitForQuota(job.id(), T0.plusSeconds(20), List.of(call(1, "project-a")), T0.plusSeconds(1));
            }
            case RUNNING_LEASE_HELD -> store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
            case RUNNING_LEASE_EXPIRED -> store.claim(job.id(), T0, T0.plusSeconds(10)).orElseThrow();
            case RUNNING_CANCEL_REQUESTED -> {
                store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
                store.requestCancel(job.id(), T0.plusSeconds(1)).orElseThrow();
            }
            case CANCELLED -> store.cancel(job.id(), T0.plusSeconds(1)).orElseThrow();
            case SUCCEEDED -> {
                store.claim(job.id(), T0, T0.plusSeconds(60)).orElseThrow();
                store.markSucceeded(job.id(), List.of(image(job.id())), Optional.empty(), List.of(call(1, "project-a")), T0.plusSeconds(1));
            }
            case FAILED -> store.markFailed(job.id(), new JobError("invalid", "no such model"), T0.plusSeconds(1));
            case BATCHED -> store.batch(job.id(), BATCH_ID, T0.plusSeconds(1)).orElseThrow();
        }
        return store.find(job.id()).orElseThrow();
    }

    /** Makes {@code write} on job {@code id} at {@link #MOVE_AT}: whether the store took it (false: it refused). */
    private boolean make(Write write, JobId id) {
        List<Attempt> calls = List.of(call(7, "project-z"));
        switch (write) {
            case CLAIM -> {
                return store.claim(id, MOVE_AT, MOVE_AT.plusSeconds(60)).isPresent();
            }
            case CANCEL -> {
                return store.cancel(id, MOVE_AT).isPresent();
            }
            case REQUEST_CANCEL -> {
                return store.requestCancel(id, MOVE_AT).isPresent();
            }
            case BATCH -> {
                return store.batch(id, BATCH_ID, MOVE_AT).isPresent();
            }
            case SUCCEED_BATCHED -> {
                return store.succeedBatched(id, BATCH_ID, List.of(image(id)), Optional.empty(), calls, MOVE_AT);
            }
            case FAIL_BATCHED -> {
                return store.failBatched(id, BATCH_ID, new JobError("safety_block", "IMAGE_SAFETY"), calls, MOVE_AT);
            }
            case UNBATCH -> {
                return store.unbatch(id, BATCH_ID, SYNC_AFTER_BATCH, new JobError("batch_expired", "the batch expired"), calls, MOVE_AT);
            }
            case MOVE_TO_SYNC_LANE -> {
                return store.moveToSyncLane(id, TOO_CLOSE, MOVE_AT);
            }
            default -> {
            }
        }
        try {
            switch (write) {
                case MARK_SUCCEEDED -> store.markSucceeded(id, List.of(image(id)), Optional.empty(), calls, MOVE_AT);
                case MARK_FAILED -> store.markFailed(id, new JobError("safety_block", "IMAGE_SAFETY"), calls, MOVE_AT);
                case RELEASE -> {
                    return store.release(id, new JobError("provider_unavailable", "503"), calls, MOVE_AT) == Requeue.REQUEUED;
                }
                case GIVE_BACK -> {
                    return store.giveBack(id, new JobError("internal_error", "failed before the call"), calls, MOVE_AT) == Requeue.REQUEUED;
                }
                case WAIT_FOR_QUOTA -> {
                    return store.waitForQuota(id, MOVE_AT.plusSeconds(30), calls, MOVE_AT) == Requeue.REQUEUED;
                }
                case CANCEL_INSTEAD_OF_RETRY -> store.cancelInsteadOfRetry(id, calls, MOVE_AT);
                case RECORD_CALLBACK -> store.recordCallback(id, deliveredCallback());
                default -> throw new AssertionError(write);
            }
            return true;
        } catch (RuntimeException e) {
            if (refusal().isInstance(e)) {
                return false;
            }
            throw e;
        }
    }

    private static Callback deliveredCallback() {
        return Callback.pending(HOOK).afterAttempt(Optional.of(204), Optional.empty(), MOVE_AT);
    }

    private static StoredImage image(JobId id) {
        return new StoredImage("generations/" + id + "/0.png", "image/png", 1234);
    }

    private static Attempt call(int number, String account) {
        return new Attempt(number, "gemini", account, "gemini-3.1-flash-image", T0, Duration.ofMillis(12_500),
                Attempt.Outcome.GENERATED, Optional.empty(), 1, new Usage(12, 1290, 1302), new BigDecimal("0.039"));
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

    protected static Job newJob() {
        return Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image",
                Resolution.ONE_K, "1:1", 1, Map.of()), T0);
    }
}
