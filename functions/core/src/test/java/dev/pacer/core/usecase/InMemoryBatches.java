package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchRecord.Phase;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.port.BatchStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Batch records in one JVM for the use cases' tests, with the DynamoDB store's rules ({@link dev.pacer.core.port.BatchStoreContract}). */
final class InMemoryBatches implements BatchStore {

    private final Map<String, BatchRecord> records = new LinkedHashMap<>();
    private final Map<String, LearnedBatchLimit> learned = new LinkedHashMap<>();

    @Override
    public synchronized Optional<LearnedBatchLimit> learnedLimit(String account, String model) {
        return Optional.ofNullable(learned.get(account + "|" + model));
    }

    @Override
    public synchronized void learnLimit(String account, String model, LearnedBatchLimit limit) {
        learned.put(account + "|" + model, limit);
    }

    @Override
    public synchronized void create(BatchRecord intent) {
        if (records.putIfAbsent(intent.id(), intent) != null) {
            throw new IllegalStateException("batch " + intent.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<BatchRecord> find(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized List<BatchRecord> unfinished(String account) {
        return records.values().stream()
                .filter(r -> r.account().equals(account) && r.phase() != Phase.DONE)
                .sorted(Comparator.comparing(BatchRecord::createdAt))
                .toList();
    }

    @Override
    public synchronized boolean opened(String id, ProviderBatch batch, List<String> jobIds) {
        return move(id, Set.of(Phase.INTENDED), r -> r.moved(Phase.OPEN, jobIds, Optional.of(batch), r.finishedAt()));
    }

    @Override
    public synchronized boolean polled(String id, ProviderBatch batch) {
        return move(id, Set.of(Phase.OPEN), r -> r.moved(Phase.OPEN, r.jobIds(), Optional.of(batch), r.finishedAt()));
    }

    @Override
    public synchronized boolean finish(String id, Optional<ProviderBatch> batch, Instant now) {
        return move(id, Set.of(Phase.INTENDED, Phase.OPEN), r -> r.moved(Phase.DONE, r.jobIds(), batch.or(r::provider), Optional.of(now)));
    }

    private boolean move(String id, Set<Phase> from, java.util.function.UnaryOperator<BatchRecord> change) {
        BatchRecord r = records.get(id);
        if (r == null || !from.contains(r.phase())) {
            return false;
        }
        records.put(id, change.apply(r));
        return true;
    }
}
