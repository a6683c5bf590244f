package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.Usage;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.ModelLimits;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The batch lane's own quota, apart from the sync lane's ledger: tokens enqueued per account and model (the sum over its
 * unfinished batch records) under the limit declared in the pool or learned from a refusal, and batches open per
 * account. No sync RPM, IPM, TPM or RPD is spent by a batch. The collector fills batches by it, the poller and the
 * collector teach it the provider's refusals, and GET /v1/quota shows it.
 */
public final class BatchQuota {

    /** One account and model as GET /v1/quota shows it. */
    public record View(String account, String model, long enqueuedTokens, Optional<Long> declaredLimit, Optional<LearnedBatchLimit> learned,
            Optional<Long> limit, int openBatches, int maxOpenBatches) {
    }

    /** The error type a job waiting again after such a refusal carries, and its attempt-log entry's. */
    public static final String OVER_QUOTA = "batch_over_quota";

    private final BatchStore batches;
    private final BatchSupport support;
    private final BatchLaneSettings settings;
    private final Clock clock;

    public BatchQuota(BatchStore batches, BatchSupport support, BatchLaneSettings settings, Clock clock) {
        this.batches = batches;
        this.support = support;
        this.settings = settings;
        this.clock = clock;
    }

    /** The most batches open at once on {@code account}: the lane's bound, or the account's own when it is lower. */
    public int maxOpen(Account account) {
        return maxOpen(account, settings);
    }

    public static int maxOpen(Account account, BatchLaneSettings settings) {
        return Math.min(settings.maxOpenPerAccount(), account.batchMaxOpen().orElse(Integer.MAX_VALUE));
    }

    /** The pool's enqueued-token limit for the model on the account, after its safety margin. */
    public static Optional<Long> declared(Account account, String model) {
        return account.effectiveLimits(model).flatMap(ModelLimits::batchEnqueuedTokens);
    }

    /**
     * A limit learned from a refusal, while it holds: for the provider's turnaround target after the refusal, by when
     * every batch enqueued with it has finished.
     */
    public Optional<LearnedBatchLimit> learned(Account account, String model) {
        return batches.learnedLimit(account.id(), model)
                .filter(learned -> learned.at().plus(settings.lanes().batchTarget()).isAfter(clock.instant()));
    }

    /** The limit in force: the lower of the declared one and a learned one; empty when neither is known. */
    public Optional<Long> limit(Account account, String model) {
        return lower(declared(account, model), learned(account, model));
    }

    private static Optional<Long> lower(Optional<Long> declared, Optional<LearnedBatchLimit> learned) {
        Optional<Long> tokens = learned.map(LearnedBatchLimit::enqueuedTokens);
        return declared.isEmpty() ? tokens : tokens.map(l -> Math.min(l, declared.get())).or(() -> declared);
    }

    /** What the account's unfinished batches of {@code model} have enqueued. */
    public static long enqueued(List<BatchRecord> unfinished, String model) {
        return unfinished.stream().filter(record -> record.model().equals(model)).mapToLong(BatchRecord::enqueuedTokens).sum();
    }

    /**
     * The provider refused {@code refused} for its batch quota, when {@code unfinished} (which may hold it) were the
     * account's other unfinished batches: the limit learned is what they had enqueued ({@link LearnedBatchLimit#afterRefusal}),
     * or lower if a lower one still holds. It is kept where the next collector run reads it.
     */
    public LearnedBatchLimit refused(Account account, BatchRecord refused, List<BatchRecord> unfinished, String reason) {
        long before = enqueued(unfinished.stream().filter(record -> !record.id().equals(refused.id())).toList(), refused.model());
        long value = LearnedBatchLimit.afterRefusal(before, refused.enqueuedTokens());
        long kept = learned(account, refused.model()).map(l -> Math.min(l.enqueuedTokens(), value)).orElse(value);
        LearnedBatchLimit learned = new LearnedBatchLimit(kept, clock.instant(), reason);
        batches.learnLimit(account.id(), refused.model(), learned);
        return learned;
    }

    /** Every batch account and model the lane serves, with what is enqueued and open there now. */
    public List<View> view() {
        List<View> views = new ArrayList<>();
        for (Account account : support.batchAccounts()) {
            List<BatchRecord> unfinished = batches.unfinished(account.id());
            for (String model : account.models().keySet().stream().sorted().toList()) {
                if (!support.serves(model)) {
                    continue;
                }
                Optional<LearnedBatchLimit> learned = learned(account, model);
                views.add(new View(account.id(), model, enqueued(unfinished, model), declared(account, model), learned,
                        lower(declared(account, model), learned), unfinished.size(), maxOpen(account)));
            }
        }
        return views;
    }

    /**
     * How many batches {@code job} actually ran in: its attempts, each batch it went into, less those the provider refused
     * for its batch quota (each logged as a {@link #OVER_QUOTA} entry, {@link #refusedAttempt}). No line of a refused batch
     * ran, so a refusal never uses up the batches a job may go into.
     */
    public static int batchesRun(Job job) {
        long refused = job.attemptLog().stream().filter(a -> a.errorType().filter(OVER_QUOTA::equals).isPresent()).count();
        return (int) Math.max(0, job.attempts() - refused);
    }

    /**
     * The attempt-log entry of a job whose batch the provider refused for its quota: nothing ran, nothing is billed, but
     * the job went into a batch, and an attempt without an entry would read as a lost call.
     */
    public static Attempt refusedAttempt(Account account, BatchRecord record, Job job, Instant now) {
        return new Attempt(job.attempts(), account.provider() + "-batch", account.id(), record.model(), record.createdAt(),
                Duration.between(record.createdAt(), now), Attempt.Outcome.RETRY_LATER, Optional.of(OVER_QUOTA), 0, Usage.NONE, BigDecimal.ZERO);
    }
}
