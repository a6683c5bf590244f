package dev.pacer.core.job;

import java.util.Locale;
import java.util.Optional;

/** How a job is run: the sync lane's blocking call, or a provider's Batch API (half the price, up to a day). */
public enum Lane {
    SYNC,
    BATCH;

    /** The lane as the API spells it: {@code sync} or {@code batch}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lane {@code label} names; empty for anything else. */
    public static Optional<Lane> fromLabel(String label) {
        for (Lane lane : values()) {
            if (lane.label().equals(label)) {
                return Optional.of(lane);
            }
        }
        return Optional.empty();
    }
}
