package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.Demand;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Polls the open batches and settles each that finished. Its results are streamed line by line: each line's images go
 * to S3 under the job's usual keys as they come, and only a small tally per job is kept. Then each job of the batch
 * ends SUCCEEDED with its images (short ones say why), FAILED with its line's error, or, when its line did not come
 * back, goes back to waiting: for another batch, or for the sync lane when its deadline leaves no time for one. Every
 * job write is conditional on the job still being in this batch, and the batch is marked done last, so a poller that
 * dies half way is simply run again: lines are written to the same keys and no job is asked for twice.
 */
public final class PollBatches {

    /** What one run did. */
    public record Polled(int polled, int settled, int succeeded, int failed, int requeued) {
    }

    private final JobStore jobs;
    private final BatchStore batches;
    private final BatchProvider provider;
    private final BatchSupport support;
    private final JobImages images;
    private final JobQueue syncQueue;
    private final CompletionNotices notices;
    private final JobMetrics metrics;
    private final PriceTable prices;
    private final BatchLaneSettings settings;
    private final Clock clock;
    private final BatchQuota quota;

    public PollBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, ImageStore images, JobQueue syncQueue,
            CompletionNotices notices, JobMetrics metrics, PriceTable prices, BatchLaneSettings settings, Clock clock) {
        this.jobs = jobs;
        this.batches = batches;
        this.provider = provider;
        this.support = support;
        this.images = new JobImages(images);
        this.syncQueue = syncQueue;
        this.notices = notices;
        this.metrics = metrics;
        this.prices = prices;
        this.settings = settings;
        this.clock = clock;
        this.quota = new BatchQuota(batches, support, settings, clock);
    }

    /** What came back for one job: its images by number, and the first error of a line that brought none. */
    private static final class Tally {
        final List<StoredImage> images = new ArrayList<>();
        Optional<ProviderOutcome.Failure> failure = Optional.empty();
    }

    private int succeeded;
    private int failed;
    private int requeued;

    public synchronized Polled poll() {
        succeeded = 0;
        failed = 0;
        requeued = 0;
        int polled = 0;
        int settled = 0;
        for (Account account : support.batchAccounts()) {
            for (BatchRecord record : batches.unfinished(account.id())) {
                if (record.phase() != BatchRecord.Phase.OPEN || record.provider().isEmpty()) {
                    continue; // an intent: the collector's
                }
                polled++;
                ProviderBatch now;
                try {
                    now = provider.poll(account, record.provider().get());
                } catch (BatchProviderException e) {
                    if (e.retryable()) {
                        continue; // asked again on the next run
                    }
                    now = new ProviderBatch(record.provider().get().name(), record.displayName(), BatchState.FAILED, 0, 0, 0);
                }
                if (!now.state().isFinal()) {
                    if (!now.equals(record.provider().get())) {
                        batches.polled(record.id(), now);
                    }
                    continue;
                }
                settle(account, record, now);
                settled++;
            }
        }
        return new Polled(polled, settled, succeeded, failed, requeued);
    }

    private void settle(Account account, BatchRecord record, ProviderBatch batch) {
        if (batch.state() == BatchState.OVER_QUOTA) {
            overQuota(account, record, batch);
            return;
        }
        Map<String, Tally> tallies = new HashMap<>();
        // each job is read once: while its lines stream in, or after, if none came
        Map<String, Optional<Job>> found = new HashMap<>();
        if (batch.state().hasResults()) {
            provider.results(account, batch, line -> {
                Optional<Job> job = found.computeIfAbsent(line.jobId(), id -> jobs.find(new JobId(id)));
                // a job an earlier run settled already is not written again
                if (job.filter(j -> j.inBatch(record.id())).isPresent()) {
                    tally(tallies.computeIfAbsent(line.jobId(), id -> new Tally()), line);
                }
            });
        }
        Instant now = clock.instant();
        for (String id : record.jobIds()) {
            Optional<Job> job = found.computeIfAbsent(id, unread -> jobs.find(new JobId(unread)));
            if (job.isEmpty()) {
                continue; // expired from the store
            }
            if (!job.get().inBatch(record.id())) {
                resendToSyncLane(job.get(), record);
                continue; // settled by an earlier run
            }
            end(account, record, batch, job.get(), Optional.ofNullable(tallies.get(id)), now);
        }
        batches.finish(record.id(), Optional.of(batch), now);
    }

    /**
     * The provider took the batch and then refused it for its batch quota (OpenAI's {@code token_limit_exceeded}): no
     * line ran, so each job waits for another batch, saying why, however many batches it has been in, or goes to the
     * sync lane when its deadline no longer leaves time for one; the account learns the enqueued-token limit it hit,
     * where the collector reads it.
     */
    private void overQuota(Account account, BatchRecord record, ProviderBatch batch) {
        String said = "the provider failed " + batch.name() + " for its enqueued-token limit";
        quota.refused(account, record, batches.unfinished(account.id()), said);
        Instant now = clock.instant();
        JobError why = new JobError(BatchQuota.OVER_QUOTA, said + "; it waits for another batch");
        for (String id : record.jobIds()) {
            Optional<Job> found = jobs.find(new JobId(id));
            if (found.isEmpty()) {
                continue;
            }
            Job job = found.get();
            if (!job.inBatch(record.id())) {
                resendToSyncLane(job, record); // an earlier run moved it and may have died before its message
                continue;
            }
            boolean batchInTime = settings.lanes().batchMeets(job.deadline(), now);
            LaneChoice lane = batchInTime ? job.lane()
                    : new LaneChoice(Lane.SYNC, settings.lanes().tooLittleForABatch(job.deadline().orElseThrow(), now)
                            + " (its batch was refused for the batch quota)");
            JobError error = batchInTime ? why : new JobError(BatchQuota.OVER_QUOTA, said + "; it goes to the sync lane");
            if (jobs.unbatch(job.id(), record.id(), lane, error, List.of(BatchQuota.refusedAttempt(account, record, job, now)), now)) {
                requeued++;
                if (!batchInTime) {
                    syncQueue.enqueue(job.id());
                }
            }
        }
        batches.finish(record.id(), Optional.of(batch), now);
    }

    private void tally(Tally tally, BatchLineResult line) {
        ProviderOutcome outcome = line.outcome();
        outcome.made().ifPresent(made -> tally.images.addAll(images.storeAt(line.jobId(), line.firstIndex(), made.images())));
        if (outcome.made().isEmpty() && tally.failure.isEmpty()) {
            tally.failure = outcome.missing();
        }
    }

    private void end(Account account, BatchRecord record, ProviderBatch batch, Job job, Optional<Tally> tally, Instant now) {
        List<StoredImage> made = tally.map(t -> t.images.stream().sorted(Comparator.comparing(StoredImage::key, PollBatches::byNumber)).toList())
                .orElse(List.of());
        Optional<ProviderOutcome.Failure> failure = tally.flatMap(t -> t.failure);
        if (!made.isEmpty()) {
            Optional<JobError> shortfall = made.size() < job.request().count()
                    ? Optional.of(failure.map(ProviderOutcome.Failure::error)
                            .orElse(new JobError("batch_line_missing", "the batch brought back fewer images than asked")))
                    : Optional.empty();
            Attempt call = attempt(account, record, job, made.size(), failure, now);
            if (jobs.succeedBatched(job.id(), record.id(), made, shortfall, List.of(call), now)) {
                succeeded++;
                metrics.batchSettled(job, call);
                metrics.succeeded(job);
                announce(job);
            }
            return;
        }
        if (failure.isPresent() && !failure.get().isRetryable()) {
            fail(account, record, job, failure.get().error(), failure.get(), now);
            return;
        }
        // nothing came back for it: a passing line error, or its batch ended without it (expired, cancelled, failed)
        ProviderOutcome.Failure missing = failure.orElseGet(() -> new ProviderOutcome.RetryLater(
                batch.state() == BatchState.SUCCEEDED ? "batch_line_missing" : "batch_" + batch.state().name().toLowerCase(Locale.ROOT),
                "its batch " + batch.name() + " ended " + batch.state() + " without its line"));
        JobError why = missing.error();
        // the batches it ran in: a batch refused for the batch quota ran none of its lines, and counts for nothing
        if (BatchQuota.batchesRun(job) >= settings.maxBatchAttempts()) {
            fail(account, record, job, why, missing, now);
            return;
        }
        boolean batchInTime = settings.lanes().batchMeets(job.deadline(), now);
        LaneChoice lane = batchInTime
                ? new LaneChoice(Lane.BATCH, job.lane().reason() + "; again after " + why.type())
                : new LaneChoice(Lane.SYNC, "its batch ended without its line (" + why.type() + ") and the deadline leaves too little for another");
        // the batch is logged as the attempt it was, billed nothing: the sync lane would take an attempt without an entry for a lost call
        if (jobs.unbatch(job.id(), record.id(), lane, why, List.of(attempt(account, record, job, 0, Optional.of(missing), now)), now)) {
            requeued++;
            if (!batchInTime) {
                syncQueue.enqueue(job.id());
            }
        }
    }

    private void fail(Account account, BatchRecord record, Job job, JobError error, ProviderOutcome.Failure failure, Instant now) {
        Attempt call = attempt(account, record, job, 0, Optional.of(failure), now);
        if (jobs.failBatched(job.id(), record.id(), error, List.of(call), now)) {
            failed++;
            metrics.batchSettled(job, call);
            metrics.failed(job, error);
            announce(job);
        }
    }

    /**
     * A job this batch moved to the sync lane in a run that died before it was put on the queue would never run: it is
     * put on it again. A second message is harmless, only one claim wins.
     */
    private void resendToSyncLane(Job job, BatchRecord record) {
        if (job.status() == JobStatus.QUEUED && job.lane().lane() == Lane.SYNC && job.batchId().filter(record.id()::equals).isPresent()) {
            syncQueue.enqueue(job.id());
        }
    }

    /** A finished job with a callback URL is announced, as the worker announces the jobs it ends. */
    private void announce(Job job) {
        if (job.callback().isPresent()) {
            notices.jobFinished(job.id());
        }
    }

    /**
     * The batch as the job's attempt log keeps it: one entry, priced at the batch price (0 on a simulated account, as a
     * simulated sync call is), an edit's input tokens too, as on the sync lane; its latency the batch's.
     */
    private Attempt attempt(Account account, BatchRecord record, Job job, int imageCount, Optional<ProviderOutcome.Failure> failure,
            Instant now) {
        // as on the sync lane, nobody bills a simulated account
        BigDecimal cost = BigDecimal.ZERO;
        if (!account.isSimulated()) {
            cost = prices.batchEstimate(job.request().model(), job.request().resolution(), imageCount);
            if (imageCount > 0) {
                // an edit's reference images are input tokens on each line that came back (Gemini: one per image), at the batch rate
                int requests = Demand.requests(job.request().withCount(imageCount), account.provider());
                cost = cost.add(prices.batchInputEstimate(job.request(), requests));
            }
        }
        Attempt.Outcome outcome = imageCount >= job.request().count() || failure.isEmpty()
                ? Attempt.Outcome.GENERATED : failure.get().attemptOutcome();
        return new Attempt(job.attempts(), account.provider() + "-batch", account.id(), job.request().model(), record.createdAt(),
                Duration.between(record.createdAt(), now), outcome, failure.map(ProviderOutcome.Failure::type), imageCount, Usage.NONE, cost);
    }

    /** Orders {@code generations/{id}/{n}.{ext}} by n: 10 after 9. */
    private static int byNumber(String a, String b) {
        return Integer.compare(number(a), number(b));
    }

    private static int number(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }
}
