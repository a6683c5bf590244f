package dev.pacer.core.quota;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What one provider answer stated about the account's limits, per dimension; most answers state nothing. */
public record StatedLimits(Map<Dimension, StatedLimit> limits) {

    public static final StatedLimits NONE = new StatedLimits(Map.of());

    public StatedLimits {
        Objects.requireNonNull(limits, "limits");
        limits = Map.copyOf(limits);
    }

    public static StatedLimits of(Dimension dimension, StatedLimit limit) {
        return new StatedLimits(Map.of(dimension, limit));
    }

    public Optional<StatedLimit> get(Dimension dimension) {
        return Optional.ofNullable(limits.get(dimension));
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** These and {@code other}'s; where both state a dimension, {@code other}'s. */
    public StatedLimits and(StatedLimits other) {
        Map<Dimension, StatedLimit> all = new EnumMap<>(Dimension.class);
        all.putAll(limits);
        all.putAll(other.limits);
        return new StatedLimits(all);
    }
}
