package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link QuotaStateStore} in one JVM: a test double, for unit tests and single-process tools (benchmarks). */
public final class InMemoryQuotaStateStore implements QuotaStateStore {

    private final Map<String, WindowState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<WindowState> load(String account, String model) {
        return Optional.ofNullable(states.get(account + "#" + model));
    }

    @Override
    public Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
        WindowState stored = QuotaStateStore.stored(expectedVersion, next);
        String key = account + "#" + model;
        boolean[] replaced = {false};
        WindowState now = states.compute(key, (k, current) -> {
            long currentVersion = current == null ? 0 : current.version();
            if (currentVersion != expectedVersion) {
                return current;
            }
            replaced[0] = true;
            return stored;
        });
        // like DynamoDB's ReturnValuesOnConditionCheckFailure=ALL_OLD: a lost race tells what won it
        return replaced[0] ? new Replacement.Replaced(stored) : new Replacement.Conflict(Optional.ofNullable(now));
    }
}
