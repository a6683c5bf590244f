package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What asking the ledger for quota came to. */
public sealed interface ReservationOutcome {

    /** The quota to call the provider with; empty when none was reserved. */
    Optional<Reservation> granted();

    /** When none was reserved and waiting helps: the earliest a window opens. Empty when granted, or when waiting will not help. */
    Optional<Instant> opensAt();

    /** What the ledger says: where it reserved, or why it could not. */
    String reason();

    /** Reserved on every dimension of one account: call the provider now. */
    record Granted(Reservation reservation) implements ReservationOutcome {
        public Granted {
            Objects.requireNonNull(reservation, "reservation");
        }

        @Override
        public Optional<Reservation> granted() {
            return Optional.of(reservation);
        }

        @Override
        public Optional<Instant> opensAt() {
            return Optional.empty();
        }

        @Override
        public String reason() {
            return "reserved on " + reservation.account().id();
        }
    }

    /** Every account serving the model is full: ask again at {@code retryAt}, the earliest a window opens. */
    record NoHeadroom(Instant retryAt, String reason) implements ReservationOutcome {
        public NoHeadroom {
            Objects.requireNonNull(retryAt, "retryAt");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<Reservation> granted() {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> opensAt() {
            return Optional.of(retryAt);
        }
    }

    /** No account serves the model, or the demand is beyond every account's limits: waiting will not help. */
    record Unservable(String reason) implements ReservationOutcome {
        public Unservable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<Reservation> granted() {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> opensAt() {
            return Optional.empty();
        }
    }
}
