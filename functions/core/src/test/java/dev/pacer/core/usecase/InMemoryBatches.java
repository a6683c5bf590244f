package dev.pacer.core.usecase;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchRecord.Phase;
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
        return move(id, Set.of(Phase.INTENDED), r -> new BatchRecord(r.id(), r.account(), r.model(), jobIds, Phase.OPEN, Optional.of(batch),
                r.createdAt(), r.finishedAt()));
    }

    @Override
    public synchronized boolean polled(String id, ProviderBatch batch) {
        return move(id, Set.of(Phase.OPEN), r -> new BatchRecord(r.id(), r.account(), r.model(), r.jobIds(), Phase.OPEN, Optional.of(batch),
                r.createdAt(), r.finishedAt()));
    }

    @Override
    public synchronized boolean finish(String id, Optional<ProviderBatch> batch, Instant now) {
        return move(id, Set.of(Phase.INTENDED, Phase.OPEN), r -> new BatchRecord(r.id(), r.account(), r.model(), r.jobIds(), Phase.DONE,
                batch.or(r::provider), r.createdAt(), Optional.of(now)));
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
