package dev.pacer.core.quota;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the ledger keeps for one account and model, in one record so that one conditional write changes
 * all dimensions at once: the grants of the last minute (and those still in flight), the requests of the
 * current provider day, a cooldown, and what was learned about the account's real limits. {@code version} is 0 for
 * a state never stored.
 */
public record WindowState(long version, List<Grant> grants, LocalDate day, int dayRequests, Optional<Cooldown> cooldown,
        Learning learning) {

    public WindowState {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(learning, "learning");
        grants = List.copyOf(grants);
    }

    public static WindowState empty(LocalDate day) {
        return new WindowState(0, List.of(), day, 0, Optional.empty(), Learning.NONE);
    }

    public WindowState withVersion(long newVersion) {
        return new WindowState(newVersion, grants, day, dayRequests, cooldown, learning);
    }

    public WindowState withGrants(List<Grant> newGrants, int newDayRequests) {
        return new WindowState(version, newGrants, day, newDayRequests, cooldown, learning);
    }

    public WindowState withCooldown(Optional<Cooldown> newCooldown) {
        return new WindowState(version, grants, day, dayRequests, newCooldown, learning);
    }

    public WindowState withLearning(Learning newLearning) {
        return new WindowState(version, grants, day, dayRequests, cooldown, newLearning);
    }
}
