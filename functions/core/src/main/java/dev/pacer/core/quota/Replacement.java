package dev.pacer.core.quota;

import java.util.Objects;
import java.util.Optional;

/** What a {@link QuotaStateStore#replace compare-and-set} came to. */
public sealed interface Replacement {

    /** Written: {@code stored} is the state now in the store, with its new version. */
    record Replaced(WindowState stored) implements Replacement {
        public Replaced {
            Objects.requireNonNull(stored, "stored");
        }
    }

    /**
     * Someone else wrote first (or the state expired). {@code current} is what the store holds now when the failed
     * write could tell (DynamoDB returns it with the condition failure); empty when it could not, or there is none:
     * then read it.
     */
    record Conflict(Optional<WindowState> current) implements Replacement {
        public Conflict {
            Objects.requireNonNull(current, "current");
        }
    }
}
