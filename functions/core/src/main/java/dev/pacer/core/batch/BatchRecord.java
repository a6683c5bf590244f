package dev.pacer.core.batch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * pacer's own record of one provider batch, written before the batch is opened: creation is not idempotent, so after
 * a crash this record (its {@link #displayName()}) is how the batch is found again. {@code jobIds} are the jobs it
 * was meant for; once it is {@link Phase#OPEN}, the jobs it was opened with. {@code provider} is the batch as the
 * provider last reported it. {@code enqueuedTokens} is what its jobs were estimated to cost when it was recorded
 * ({@link dev.pacer.core.quota.TokenEstimate}): an account and model's unfinished records add up to what the batch lane
 * has enqueued there, the dimension the providers' enqueued-token limits count.
 */
public record BatchRecord(String id, String account, String model, List<String> jobIds, Phase phase, Optional<ProviderBatch> provider,
        Instant createdAt, Optional<Instant> finishedAt, long enqueuedTokens) {

    /** Where pacer's side of a batch is. */
    public enum Phase {
        /** Recorded, its jobs being taken; the provider may or may not have the batch yet. */
        INTENDED,
        /** The provider has it; the poller watches it. */
        OPEN,
        /** Its jobs have ended or gone back to waiting: nothing more to do. */
        DONE
    }

    /** What every provider batch pacer opens is named after: the record's id behind it. */
    public static final String DISPLAY_NAME_PREFIX = "pacer-";

    public BatchRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        jobIds = List.copyOf(jobIds);
        if (enqueuedTokens < 0) {
            throw new IllegalArgumentException("enqueuedTokens must not be negative");
        }
    }

    /** A batch about to be opened on {@code account} for these jobs. */
    public static BatchRecord intended(String id, String account, String model, List<String> jobIds, Instant now) {
        return intended(id, account, model, jobIds, 0, now);
    }

    /** A batch about to be opened on {@code account} for these jobs, which were estimated at {@code enqueuedTokens}. */
    public static BatchRecord intended(String id, String account, String model, List<String> jobIds, long enqueuedTokens, Instant now) {
        return new BatchRecord(id, account, model, jobIds, Phase.INTENDED, Optional.empty(), now, Optional.empty(), enqueuedTokens);
    }

    /** This record moved to {@code phase}, with these jobs and provider batch. */
    public BatchRecord moved(Phase phase, List<String> jobIds, Optional<ProviderBatch> provider, Optional<Instant> finishedAt) {
        return new BatchRecord(id, account, model, jobIds, phase, provider, createdAt, finishedAt, enqueuedTokens);
    }

    /** The name the provider batch carries: {@code pacer-<id>}. */
    public String displayName() {
        return DISPLAY_NAME_PREFIX + id;
    }
}
