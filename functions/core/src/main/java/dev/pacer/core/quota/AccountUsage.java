package dev.pacer.core.quota;

import java.util.Objects;

/** One account and model for GET /v1/quota: its limits (as configured and as pacer applies them) and use. */
public record AccountUsage(String account, String provider, String model, ModelLimits limits, ModelLimits effectiveLimits,
        QuotaWindows.Usage usage) {

    public AccountUsage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(effectiveLimits, "effectiveLimits");
        Objects.requireNonNull(usage, "usage");
    }
}
