package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;

/** What asking the ledger for quota came to. */
public sealed interface ReservationOutcome {

    /** Reserved on every dimension of one account: call the provider now. */
    record Granted(Reservation reservation) implements ReservationOutcome {
        public Granted {
            Objects.requireNonNull(reservation, "reservation");
        }
    }

    /** Every account serving the model is full: ask again at {@code retryAt}, the earliest a window opens. */
    record NoHeadroom(Instant retryAt, String reason) implements ReservationOutcome {
        public NoHeadroom {
            Objects.requireNonNull(retryAt, "retryAt");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** No account serves the model, or the demand is beyond every account's limits: waiting will not help. */
    record Unservable(String reason) implements ReservationOutcome {
        public Unservable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
