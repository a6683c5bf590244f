package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;

/** Whether a demand fits an account's windows now, when it will at the earliest, or never. */
public sealed interface Headroom {

    record Fits() implements Headroom {
    }

    /** Not before {@code at}: the earliest moment every window has room, given what is granted so far. */
    record OpensAt(Instant at, String reason) implements Headroom {
        public OpensAt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The demand is larger than a limit itself: waiting cannot help. */
    record Never(String reason) implements Headroom {
        public Never {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
