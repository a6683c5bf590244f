package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link QuotaStateStore} in one JVM: for unit tests and single-process tools (benchmarks). */
public final class InMemoryQuotaStateStore implements QuotaStateStore {

    private final Map<String, WindowState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<WindowState> load(String account, String model) {
        return Optional.ofNullable(states.get(account + "#" + model));
    }

    @Override
    public boolean replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
        WindowState stored = new WindowState(expectedVersion + 1, next.grants(), next.day(), next.dayRequests(), next.cooldown());
        String key = account + "#" + model;
        if (expectedVersion == 0) {
            return states.putIfAbsent(key, stored) == null;
        }
        boolean[] replaced = {false};
        states.computeIfPresent(key, (k, current) -> {
            if (current.version() == expectedVersion) {
                replaced[0] = true;
                return stored;
            }
            return current;
        });
        return replaced[0];
    }
}
