package dev.pacer.core.port;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.batch.ProviderBatch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where pacer keeps its batch records: an intent first ({@link BatchRecord.Phase#INTENDED}), the provider's batch once
 * it is open, and done once its jobs are settled. Each move is conditional on the phase it starts from, and a refused
 * one changes nothing and answers false. {@code BatchStoreContract}, in core's test-jar, checks this for every store.
 */
public interface BatchStore {

    /** Stores a new intent; fails if the id exists. */
    void create(BatchRecord intent);

    Optional<BatchRecord> find(String id);

    /** The account's records that are not done (intended or open), oldest first: the poller's work and the concurrency count. */
    List<BatchRecord> unfinished(String account);

    /** INTENDED → OPEN with the provider's batch and the jobs it was opened with; false when it is not INTENDED. */
    boolean opened(String id, ProviderBatch batch, List<String> jobIds);

    /** An OPEN record's provider batch as last polled; false when it is not OPEN. */
    boolean polled(String id, ProviderBatch batch);

    /** INTENDED or OPEN → DONE at {@code now}, with the provider's batch as it ended, if there was one; false when it was done already. */
    boolean finish(String id, Optional<ProviderBatch> batch, Instant now);

    /** The enqueued-token limit learned on {@code account} and {@code model} from a refusal, if one was. */
    Optional<LearnedBatchLimit> learnedLimit(String account, String model);

    /**
     * Keeps {@code limit} as what was learned on {@code account} and {@code model}, in place of any before: the
     * collector (another invocation than the one that saw the refusal) reads it from here.
     */
    void learnLimit(String account, String model, LearnedBatchLimit limit);
}
