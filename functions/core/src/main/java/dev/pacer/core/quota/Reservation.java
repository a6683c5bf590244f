package dev.pacer.core.quota;

import java.time.Instant;
import java.util.Objects;

/** Quota granted on one account for one call: spend it now, then {@link QuotaLedger#release} it. */
public record Reservation(String id, Account account, String model, Demand demand, Instant grantedAt) {

    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }
}
