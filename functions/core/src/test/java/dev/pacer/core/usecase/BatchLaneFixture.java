package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.port.InMemoryInputImages;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.MutableClock;
import dev.pacer.core.quota.ModelLimits;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The batch lane's use cases wired to in-memory doubles, two Gemini accounts and a clock the test moves. */
class BatchLaneFixture {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String MODEL = TestCatalog.FLASH;
    static final LaneChoice BATCH_LANE = new LaneChoice(Lane.BATCH, "asked for the batch lane");
    static final Account PROJECT_A = account("project-a");
    static final Account PROJECT_B = account("project-b");

    final MutableClock clock = new MutableClock(T0);
    final InMemoryJobs jobs = new InMemoryJobs();
    final InMemoryBatches batches = new InMemoryBatches();
    final InMemoryImages images = new InMemoryImages();
    final InMemoryJobQueue syncQueue = new InMemoryJobQueue();
    final RecordedNotices notices = new RecordedNotices();
    final RecordedMetrics metrics = new RecordedMetrics();
    final ScriptedBatchProvider provider = new ScriptedBatchProvider();
    final BatchSupport support = new BatchSupport(TestCatalog.standard(), new AccountPool(List.of(PROJECT_A, PROJECT_B)));
    final BatchLaneSettings settings = new BatchLaneSettings(3, Duration.ofMinutes(10), 5, 2, Duration.ofMinutes(15), 3, LanePolicy.standard());
    private final AtomicInteger ids = new AtomicInteger();

    /** Where the edits' reference images are: {@link #waitingEdit}'s upload is there. */
    final InMemoryInputImages inputs = new InMemoryInputImages().put("uploads/alice/u1", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    final CollectBatches collector = new CollectBatches(jobs, batches, provider, support, settings, inputs, syncQueue, clock,
            () -> "b" + ids.incrementAndGet());
    final PollBatches poller = new PollBatches(jobs, batches, provider, support, images, syncQueue, notices, metrics, TestCatalog.prices(),
            settings, clock);

    static Account account(String id) {
        return new Account(id, "gemini", URI.create("http://localhost"), "none", Map.of(MODEL, ModelLimits.of(10, 10, 100)), 0,
                ZoneId.of("America/Los_Angeles"), Optional.empty());
    }

    /** A job of {@code count} 1K images waiting on the batch lane, accepted now. */
    JobId waiting(int count) {
        return waiting(count, Optional.empty());
    }

    JobId waiting(int count, Optional<Instant> deadline) {
        clock.advance(Duration.ofMillis(1)); // one after the other, as the collector takes them
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", MODEL, Resolution.ONE_K, "1:1", count, Map.of()),
                clock.instant()).withLane(BATCH_LANE);
        Job withDeadline = deadline.map(job::withDeadline).orElse(job);
        jobs.create(withDeadline);
        return withDeadline.id();
    }

    /** An edit of one uploaded image, {@code count} 1K images, waiting on the batch lane, accepted now. */
    JobId waitingEdit(int count) {
        return waitingEdit(count, "uploads/alice/u1");
    }

    /** An edit of the upload at {@code key}. */
    JobId waitingEdit(int count, String key) {
        clock.advance(Duration.ofMillis(1));
        GenerationRequest edit = new GenerationRequest("the fox in snow", MODEL, Resolution.ONE_K, "1:1", count, Map.of())
                .withInputs(List.of(InputImage.upload("u1", key, "image/png", 4000)), Optional.empty());
        Job job = Job.queued(JobId.random(), "alice", edit, clock.instant()).withLane(BATCH_LANE);
        jobs.create(job);
        return job.id();
    }

    Job job(JobId id) {
        return jobs.find(id).orElseThrow();
    }
}
