package dev.pacer.core.quota;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ProviderOutcome;

import java.util.Optional;

/**
 * The provider call as the quota-aware worker needs it: on a given account, and with a way to tell a 429 from
 * other outcomes. This is where the ledger meets the provider adapters: {@link #generate} passes the account
 * (base URL, key reference) to the provider, and {@link #rateLimit} reads the provider's rate-limited outcome
 * (retry delay, per-day flag) so the ledger can cool the account down.
 */
public interface ProviderGateway {

    ProviderOutcome generate(GenerationRequest request, Account account);

    /** The 429 this outcome stands for, if it is one. */
    Optional<RateLimit> rateLimit(ProviderOutcome outcome);
}
