package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.quota.Account;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Closes provider batches from the jobs waiting on the batch lane, per model and kind (generations and edits never share
 * a batch: an OpenAI batch has one endpoint), on the account with the fewest open batches. For each batch it records its intent first, then takes its jobs (QUEUED → BATCHED: a job taken by one batch
 * is never taken by another), then opens the provider batch and records it as open; an edit whose input is gone since
 * intake ends FAILED instead of going in. A run that died between intent
 * and open is finished by a later run: it looks the batch up by its display name and adopts it, or opens it.
 */
public final class CollectBatches {

    /** What one run did. */
    public record Collected(int opened, int jobs, int reconciled) {
    }

    private static final int BATCHES_PER_MODEL_AND_RUN = 10;

    private final JobStore jobs;
    private final BatchStore batches;
    private final BatchProvider provider;
    private final BatchSupport support;
    private final BatchLaneSettings settings;
    private final InputImages inputs;
    private final Clock clock;
    private final Supplier<String> ids;

    /** @param inputs where an edit's reference images are: each is checked to be there before its batch is opened */
    public CollectBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, BatchLaneSettings settings,
            InputImages inputs, Clock clock) {
        this(jobs, batches, provider, support, settings, inputs, clock, () -> UUID.randomUUID().toString());
    }

    CollectBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, BatchLaneSettings settings,
            InputImages inputs, Clock clock, Supplier<String> ids) {
        this.inputs = inputs;
        this.jobs = jobs;
        this.batches = batches;
        this.provider = provider;
        this.support = support;
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
    }

    public Collected collect() {
        Map<String, Integer> open = new HashMap<>();
        int reconciled = 0;
        for (Account account : support.batchAccounts()) {
            List<BatchRecord> unfinished = batches.unfinished(account.id());
            open.put(account.id(), unfinished.size());
            for (BatchRecord record : unfinished) {
                if (record.phase() == BatchRecord.Phase.INTENDED && !record.createdAt().plus(settings.staleIntent()).isAfter(clock.instant())) {
                    reconcile(account, record);
                    reconciled++;
                }
            }
        }
        int opened = 0;
        int batched = 0;
        for (String model : support.models()) {
            // a full batch may leave more waiting: close more, a few per run, so one model cannot hold a run up
            for (int n = 0; n < BATCHES_PER_MODEL_AND_RUN; n++) {
                List<Job> waiting = jobs.waitingForBatch(model, settings.maxLines());
                if (waiting.isEmpty()) {
                    break;
                }
                boolean full = false;
                boolean closedAny = false;
                boolean accountsBusy = false;
                // edits and generations never share a batch: an OpenAI batch has one endpoint, generations or edits
                for (List<Job> kind : byKind(waiting)) {
                    if (kind.isEmpty() || !due(kind)) {
                        continue;
                    }
                    Optional<Account> account = leastBusy(model, open);
                    if (account.isEmpty()) {
                        accountsBusy = true; // every account has its most batches open: the jobs wait for the next run
                        break;
                    }
                    open.merge(account.get().id(), 1, Integer::sum);
                    int taken = close(account.get(), model, kind);
                    batched += taken;
                    opened += taken > 0 ? 1 : 0;
                    closedAny = true;
                    full |= taken >= settings.maxLines();
                }
                if (accountsBusy || !closedAny || (!full && waiting.size() < settings.maxLines())) {
                    break;
                }
            }
        }
        return new Collected(opened, batched, reconciled);
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

    private Optional<Account> leastBusy(String model, Map<String, Integer> open) {
        return support.accounts(model).stream()
                .filter(account -> open.getOrDefault(account.id(), 0) < settings.maxOpenPerAccount())
                .min(Comparator.comparingInt((Account account) -> open.getOrDefault(account.id(), 0)).thenComparing(Account::id));
    }

    /** Records the intent, takes the jobs, opens the batch: how many jobs went in. */
    private int close(Account account, String model, List<Job> waiting) {
        Instant now = clock.instant();
        BatchRecord intent = BatchRecord.intended(ids.get(), account.id(), model, waiting.stream().map(job -> job.id().value()).toList(), now);
        batches.create(intent);
        List<Job> taken = new ArrayList<>();
        for (Job job : waiting) {
            jobs.batch(job.id(), intent.id(), now).ifPresent(taken::add);
        }
        return open(account, intent, taken);
    }

    /** After a crash: takes the intent's jobs still waiting, then adopts the provider batch of its name, or opens it. */
    private void reconcile(Account account, BatchRecord intent) {
        List<Job> taken = new ArrayList<>();
        for (String id : intent.jobIds()) {
            Optional<Job> job = jobs.find(new JobId(id));
            if (job.filter(j -> j.inBatch(intent.id())).isPresent()) {
                taken.add(job.get());
            } else if (job.filter(Job::waitsForBatch).isPresent()) {
                jobs.batch(job.get().id(), intent.id(), clock.instant()).ifPresent(taken::add);
            }
        }
        List<ProviderBatch> found = provider.findByDisplayName(account, intent.displayName());
        if (!found.isEmpty()) {
            batches.opened(intent.id(), found.get(0), ids(taken));
            return;
        }
        open(account, intent, taken);
    }

    private int open(Account account, BatchRecord intent, List<Job> all) {
        List<Job> taken = withInputs(intent, all);
        if (taken.isEmpty()) {
            batches.finish(intent.id(), Optional.empty(), clock.instant());
            return 0;
        }
        List<BatchLine> lines = taken.stream().map(job -> new BatchLine(job.id().value(), job.request())).toList();
        ProviderBatch opened;
        try {
            opened = provider.open(account, intent.model(), intent.displayName(), lines);
        } catch (BatchProviderException e) {
            if (e.retryable()) {
                // left INTENDED: once stale, a later run finds the batch by its name if it was made after all, or opens it
                return taken.size();
            }
            JobError refused = new JobError("batch_refused", "the provider refused the batch: " + e.getMessage());
            for (Job job : taken) {
                jobs.failBatched(job.id(), intent.id(), refused, List.of(), clock.instant());
            }
            batches.finish(intent.id(), Optional.empty(), clock.instant());
            return 0;
        }
        batches.opened(intent.id(), opened, ids(taken));
        return taken.size();
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
