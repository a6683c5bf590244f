package dev.pacer.core.quota;

import java.util.Objects;

/**
 * One account and model for GET /v1/quota: its limits as declared in the pool, what pacer learned (the limits the
 * provider stated, learned rates and why), the limits it applies now, and use.
 */
public record AccountUsage(String account, String provider, String model, ModelLimits limits, AppliedLimits applied,
        QuotaWindows.Usage usage, Learning learning) {

    public AccountUsage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(learning, "learning");
    }

    /** The limits pacer holds to now: declared after the margin, stated, learned, whichever is lowest. */
    public ModelLimits effectiveLimits() {
        return applied.limits();
    }
}
