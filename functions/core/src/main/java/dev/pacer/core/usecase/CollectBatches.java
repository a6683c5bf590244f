package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.quota.Account;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Closes provider batches from the jobs waiting on the batch lane, per model and kind (generations and edits never
 * share a batch: an OpenAI batch has one endpoint), on the account with the fewest open batches, each filled only up
 * to what its enqueued-token limit leaves ({@link BatchQuota}). For each batch it records its intent first, then takes
 * its jobs (QUEUED → BATCHED: a job taken by one batch is never taken by another), then opens the provider batch and
 * records it as open; an edit whose input is gone since intake ends FAILED instead of going in. A run that died
 * between intent and open is finished by a later run: it looks the batch up by its display name and adopts it, or
 * opens it. A batch the provider refuses for its batch quota gives its jobs back to waiting and teaches the account a
 * limit.
 * <p>
 * A job whose deadline no longer leaves time for a batch (the provider's target and the margin) does not wait for one:
 * each run first moves such waiting jobs to the sync lane and puts them on the jobs queue, and a job refused for the
 * batch quota too close to its deadline goes there at once.
 */
public final class CollectBatches {

    /** What one run did. */
    public record Collected(int opened, int jobs, int reconciled, int toSyncLane) {
    }

    private static final int BATCHES_PER_MODEL_AND_RUN = 10;

    private final JobStore jobs;
    private final BatchStore batches;
    private final BatchProvider provider;
    private final BatchSupport support;
    private final BatchLaneSettings settings;
    private final InputImages inputs;
    private final JobQueue syncQueue;
    private final Clock clock;
    private final Supplier<String> ids;
    private final BatchQuota quota;

    /**
     * @param inputs    where an edit's reference images are: each is checked to be there before its batch is opened
     * @param syncQueue the jobs queue, for the jobs whose deadline no longer allows a batch
     */
    public CollectBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, BatchLaneSettings settings,
            InputImages inputs, JobQueue syncQueue, Clock clock) {
        this(jobs, batches, provider, support, settings, inputs, syncQueue, clock, () -> UUID.randomUUID().toString());
    }

    CollectBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, BatchLaneSettings settings,
            InputImages inputs, JobQueue syncQueue, Clock clock, Supplier<String> ids) {
        this.inputs = inputs;
        this.syncQueue = syncQueue;
        this.jobs = jobs;
        this.batches = batches;
        this.provider = provider;
        this.support = support;
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
        this.quota = new BatchQuota(batches, support, settings, clock);
    }

    public Collected collect() {
        // each account's unfinished batches, kept up to date through the run: its open count and enqueued tokens
        Map<String, List<BatchRecord>> unfinished = new HashMap<>();
        int reconciled = 0;
        for (Account account : support.batchAccounts()) {
            List<BatchRecord> records = new ArrayList<>(batches.unfinished(account.id()));
            unfinished.put(account.id(), records);
            for (BatchRecord record : List.copyOf(records)) {
                if (record.phase() == BatchRecord.Phase.INTENDED && !record.createdAt().plus(settings.staleIntent()).isAfter(clock.instant())) {
                    reconcile(account, record, records);
                    reconciled++;
                }
            }
        }
        int opened = 0;
        int batched = 0;
        int toSyncLane = 0;
        for (String model : support.models()) {
            toSyncLane += toSyncLane(model);
            // an account that refused a batch for its quota this run is not asked again until the next run
            Set<String> refused = new HashSet<>();
            // a full batch may leave more waiting: close more, a few per run, so one model cannot hold a run up
            for (int n = 0; n < BATCHES_PER_MODEL_AND_RUN; n++) {
                List<Job> waiting = jobs.waitingForBatch(model, settings.maxLines());
                if (waiting.isEmpty()) {
                    break;
                }
                // whether another batch of this model may be due in this run
                boolean more = false;
                // edits and generations never share a batch: an OpenAI batch has one endpoint, generations or edits
                for (List<Job> kind : byKind(waiting)) {
                    if (kind.isEmpty() || !due(kind)) {
                        continue;
                    }
                    Optional<Fill> fill = choose(model, kind, unfinished, refused);
                    if (fill.isEmpty()) {
                        continue; // every account has its most batches open or its enqueued tokens at the limit: these wait for the next run
                    }
                    Account account = fill.get().account();
                    Closed closed = close(account, model, fill.get().jobs(), unfinished.get(account.id()));
                    batched += closed.taken();
                    opened += closed.taken() > 0 ? 1 : 0;
                    if (closed.overQuota()) {
                        refused.add(account.id());
                        more = true; // its jobs wait again; another account may take them
                        continue;
                    }
                    boolean left = fill.get().jobs().size() < kind.size(); // the limits left some for another account
                    more |= closed.taken() > 0 && (closed.taken() >= settings.maxLines() || left || waiting.size() >= settings.maxLines());
                }
                if (!more) {
                    break;
                }
            }
        }
        return new Collected(opened, batched, reconciled, toSyncLane);
    }

    /**
     * Moves the model's waiting jobs whose deadline left time for a batch when they were accepted, and no longer does, to
     * the sync lane and puts each on the jobs queue: how many. The move is conditional on the job still waiting, so a job a batch took is never moved.
     * Moved jobs stay listed by the store until their message is said to be sent; those a run that died between the two
     * left listed are sent first (a second message is harmless: only one claim wins).
     */
    private int toSyncLane(String model) {
        for (Job moved : jobs.movedToSyncLane(model, settings.maxLines())) {
            if (moved.status() == JobStatus.QUEUED && moved.lane().lane() == Lane.SYNC) {
                syncQueue.enqueue(moved.id());
            }
            jobs.sentToSyncQueue(moved.id());
        }
        Instant now = clock.instant();
        int moved = 0;
        for (Job job : jobs.waitingForBatch(model, settings.maxLines())) {
            // a job asked for on the batch lane with a deadline that left too little already gets the batch it asked for;
            // once a batch ends without it, or is refused, the deadline decides (PollBatches, overQuota)
            if (settings.lanes().batchMeets(job.deadline(), now) || !settings.lanes().batchMeets(job.deadline(), job.createdAt())) {
                continue;
            }
            String reason = settings.lanes().tooLittleForABatch(job.deadline().orElseThrow(), now) + " (it was still waiting for one)";
            if (jobs.moveToSyncLane(job.id(), reason, now)) {
                syncQueue.enqueue(job.id());
                jobs.sentToSyncQueue(job.id());
                moved++;
            }
        }
        return moved;
    }

    /** The generations, then the edits, each in the order they wait. */
    private static List<List<Job>> byKind(List<Job> waiting) {
        return List.of(waiting.stream().filter(job -> !job.request().isEdit()).toList(),
                waiting.stream().filter(job -> job.request().isEdit()).toList());
    }

    /** Enough jobs wait, or the oldest has waited long enough. */
    private boolean due(List<Job> waiting) {
        Instant oldest = waiting.stream().map(Job::createdAt).min(Comparator.naturalOrder()).orElseThrow();
        return waiting.size() >= settings.minLines() || !oldest.plus(settings.maxAge()).isAfter(clock.instant());
    }

    /** The jobs of one batch and the account it goes on. */
    private record Fill(Account account, List<Job> jobs) {
    }

    /** What closing a batch came to: the jobs it took, and whether the provider refused it for its quota. */
    private record Closed(int taken, boolean overQuota) {
    }

    /**
     * The account to put the next batch on, and the oldest waiting jobs that fit there: among the accounts with fewer
     * than their most batches open, the one with the fewest open, then the one that takes the most jobs under its
     * enqueued-token limit. An account without a known limit takes them all (the provider's refusal teaches one).
     */
    private Optional<Fill> choose(String model, List<Job> waiting, Map<String, List<BatchRecord>> unfinished, Set<String> refused) {
        List<Fill> fills = new ArrayList<>();
        for (Account account : support.accounts(model)) {
            List<BatchRecord> records = unfinished.computeIfAbsent(account.id(), id -> new ArrayList<>());
            if (refused.contains(account.id()) || records.size() >= quota.maxOpen(account)) {
                continue;
            }
            long enqueued = BatchQuota.enqueued(records, model);
            List<Job> fit = fit(waiting, quota.limit(account, model).map(limit -> limit - enqueued), enqueued == 0);
            if (!fit.isEmpty()) {
                fills.add(new Fill(account, fit));
            }
        }
        return fills.stream().min(Comparator.comparingInt((Fill f) -> unfinished.get(f.account().id()).size())
                .thenComparing(f -> -f.jobs().size())
                .thenComparing(f -> f.account().id()));
    }

    /**
     * The oldest jobs whose tokens add up to no more than {@code room} (all of them when there is no limit). With nothing
     * enqueued on the account the oldest job goes even when it alone is more than the room, or it would wait for ever.
     */
    private List<Job> fit(List<Job> waiting, Optional<Long> room, boolean nothingEnqueued) {
        if (room.isEmpty()) {
            return waiting;
        }
        List<Job> fit = new ArrayList<>();
        long tokens = 0;
        for (Job job : waiting) {
            tokens += support.enqueuedTokens(job.request());
            if (tokens > room.get() && !(fit.isEmpty() && nothingEnqueued)) {
                break;
            }
            fit.add(job);
        }
        return fit;
    }

    /** Records the intent, takes the jobs, opens the batch: how many jobs went in. */
    private Closed close(Account account, String model, List<Job> waiting, List<BatchRecord> unfinished) {
        Instant now = clock.instant();
        long tokens = waiting.stream().mapToLong(job -> support.enqueuedTokens(job.request())).sum();
        BatchRecord intent = BatchRecord.intended(ids.get(), account.id(), model, waiting.stream().map(job -> job.id().value()).toList(), tokens,
                now);
        batches.create(intent);
        unfinished.add(intent);
        List<Job> taken = new ArrayList<>();
        for (Job job : waiting) {
            jobs.batch(job.id(), intent.id(), now).ifPresent(taken::add);
        }
        return open(account, intent, taken, unfinished);
    }

    /** After a crash: takes the intent's jobs still waiting, then adopts the provider batch of its name, or opens it. */
    private void reconcile(Account account, BatchRecord intent, List<BatchRecord> unfinished) {
        List<Job> taken = new ArrayList<>();
        for (String id : intent.jobIds()) {
            Optional<Job> job = jobs.find(new JobId(id));
            if (job.filter(j -> j.inBatch(intent.id())).isPresent()) {
                taken.add(job.get());
            } else if (job.filter(Job::waitsForBatch).isPresent()) {
                jobs.batch(job.get().id(), intent.id(), clock.instant()).ifPresent(taken::add);
            } else if (job.filter(j -> movedToSyncLaneBy(j, intent)).isPresent()) {
                // the provider refused this batch for its quota and the run died before the job's message: it is sent now
                syncQueue.enqueue(job.get().id());
            }
        }
        List<ProviderBatch> found = provider.findByDisplayName(account, intent.displayName());
        if (!found.isEmpty()) {
            batches.opened(intent.id(), found.get(0), ids(taken));
            return;
        }
        open(account, intent, taken, unfinished);
    }

    private Closed open(Account account, BatchRecord intent, List<Job> all, List<BatchRecord> unfinished) {
        List<Job> taken = withInputs(intent, all);
        if (taken.isEmpty()) {
            batches.finish(intent.id(), Optional.empty(), clock.instant());
            unfinished.remove(intent);
            return new Closed(0, false);
        }
        List<BatchLine> lines = taken.stream().map(job -> new BatchLine(job.id().value(), job.request())).toList();
        ProviderBatch opened;
        try {
            opened = provider.open(account, intent.model(), intent.displayName(), lines);
        } catch (BatchProviderException e) {
            if (e.overQuota()) {
                overQuota(account, intent, taken, unfinished, e.getMessage());
                return new Closed(0, true);
            }
            if (e.retryable()) {
                // left INTENDED: once stale, a later run finds the batch by its name if it was made after all, or opens it
                return new Closed(taken.size(), false);
            }
            JobError refused = new JobError("batch_refused", "the provider refused the batch: " + e.getMessage());
            for (Job job : taken) {
                jobs.failBatched(job.id(), intent.id(), refused, List.of(), clock.instant());
            }
            batches.finish(intent.id(), Optional.empty(), clock.instant());
            unfinished.remove(intent);
            return new Closed(0, false);
        }
        batches.opened(intent.id(), opened, ids(taken));
        return new Closed(taken.size(), false);
    }

    /** A job {@code intent}'s refusal sent to the sync lane: QUEUED there, its last batch the intent. */
    private static boolean movedToSyncLaneBy(Job job, BatchRecord intent) {
        return job.status() == JobStatus.QUEUED && job.lane().lane() == Lane.SYNC && job.batchId().filter(intent.id()::equals).isPresent();
    }

    /**
     * The provider refused the batch for its batch quota (Gemini's 429 RESOURCE_EXHAUSTED on create), so it was not
     * made: its jobs wait for a later batch, each saying why, and the account learns the enqueued-token limit it hit. A
     * job whose deadline no longer leaves time for another batch goes to the sync lane instead, and on the jobs queue.
     */
    private void overQuota(Account account, BatchRecord intent, List<Job> taken, List<BatchRecord> unfinished, String said) {
        Instant now = clock.instant();
        quota.refused(account, intent, unfinished, said);
        String refusal = "the provider refused its batch for the batch quota (" + said + ")";
        for (Job job : taken) {
            List<Attempt> logged = List.of(BatchQuota.refusedAttempt(account, intent, job, now));
            if (settings.lanes().batchMeets(job.deadline(), now)) {
                jobs.unbatch(job.id(), intent.id(), job.lane(), new JobError(BatchQuota.OVER_QUOTA, refusal + "; it waits for another"), logged, now);
                continue;
            }
            LaneChoice sync = new LaneChoice(Lane.SYNC, settings.lanes().tooLittleForABatch(job.deadline().orElseThrow(), now)
                    + " (its batch was refused for the batch quota)");
            if (jobs.unbatch(job.id(), intent.id(), sync, new JobError(BatchQuota.OVER_QUOTA, refusal + "; it goes to the sync lane"), logged, now)) {
                syncQueue.enqueue(job.id());
            }
        }
        batches.finish(intent.id(), Optional.empty(), now);
        unfinished.remove(intent);
    }

    /**
     * The jobs whose reference images are all there; one whose input is gone since intake (an upload deleted) ends
     * FAILED now, so it neither breaks the whole batch's send nor waits for ever. A look that fails for another reason
     * keeps the job: the send then tells.
     */
    private List<Job> withInputs(BatchRecord intent, List<Job> taken) {
        List<Job> kept = new ArrayList<>();
        for (Job job : taken) {
            Optional<InputImage> gone = Stream.concat(job.request().inputs().stream(), job.request().mask().stream())
                    .filter(this::gone).findFirst();
            if (gone.isEmpty()) {
                kept.add(job);
                continue;
            }
            JobError error = new JobError("input_unreadable", "input " + gone.get().reference() + " is no longer there: its batch was "
                    + "opened without it");
            jobs.failBatched(job.id(), intent.id(), error, List.of(), clock.instant());
        }
        return kept;
    }

    private boolean gone(InputImage image) {
        try {
            return inputs.head(image.key(), 1).isEmpty();
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    private static List<String> ids(List<Job> taken) {
        return taken.stream().filter(job -> job.status() == JobStatus.BATCHED).map(job -> job.id().value()).toList();
    }
}
