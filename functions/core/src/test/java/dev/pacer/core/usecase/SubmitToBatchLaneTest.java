package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.quota.AccountPool;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SubmitToBatchLaneTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final InMemoryJobs jobs = new InMemoryJobs();
    private final InMemoryJobQueue queue = new InMemoryJobQueue();
    private final SubmitGeneration submit = new SubmitGeneration(new SubmissionValidator(TestCatalog.standard(), SubmissionRules.standard()),
            new CallbackUrlPolicy(false), DeadlinePolicy.standard(), new CallerCap(jobs, CallerCap.Settings.off()), jobs, queue,
            new RecordedMetrics(), Clock.fixed(T0, ZoneOffset.UTC), LanePolicy.standard(),
            new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(BatchLaneFixture.account("project-a")))));

    private static Submission asking(String lane, Optional<String> deadline) {
        return new Submission("a fox", Optional.of(TestCatalog.FLASH), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), deadline, Optional.of(lane));
    }

    @Test
    void aBatchLaneJobWaitsInTheStoreAndIsNotPutOnTheSyncQueueNotEvenWhenReplayed() {
        Optional<IdempotencyKey> key = Optional.of(new IdempotencyKey("k-1"));
        Job job = submit.submit(asking("batch", Optional.empty()), "alice", key).job();

        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(Lane.BATCH, jobs.find(job.id()).orElseThrow().lane().lane());
        assertEquals(List.of(job.id()), jobs.waitingForBatch(TestCatalog.FLASH, 10).stream().map(Job::id).toList());
        submit.submit(asking("batch", Optional.empty()), "alice", key);
        assertEquals(List.of(), queue.drain());
    }

    @Test
    void autoWithATightDeadlineGoesOnTheSyncQueueWithItsReason() {
        Job job = submit.submit(asking("auto", Optional.of("2026-12-01T16:00:00Z")), "alice", Optional.empty()).job();

        assertEquals(Lane.SYNC, job.lane().lane());
        assertEquals("auto: the deadline leaves 6 h, less than the batch lane's 26 h", job.lane().reason());
        assertEquals(List.of(job.id()), queue.drain());
    }
}
