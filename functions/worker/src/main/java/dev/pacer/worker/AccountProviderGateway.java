package dev.pacer.worker;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderAccount;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.core.quota.ProviderGateway;
import dev.pacer.core.quota.RateLimit;

import java.util.Optional;

/**
 * Where the quota ledger meets the provider adapters: the reserved account's base URL and key (resolved
 * from its reference only now, for this call) go to the adapter of its provider, and a provider's 429
 * comes back as the ledger's {@link RateLimit} so the account cools down for every worker.
 */
public final class AccountProviderGateway implements ProviderGateway {

    private final ImageProvider providers;
    private final AccountKeys keys;

    public AccountProviderGateway(ImageProvider providers, AccountKeys keys) {
        this.providers = providers;
        this.keys = keys;
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, Account account) {
        String key = keys.apiKey(account).orElse("");
        return providers.generate(request, new ProviderAccount(account.id(), account.provider(), account.baseUrl(), key));
    }

    @Override
    public Optional<RateLimit> rateLimit(ProviderOutcome outcome) {
        return outcome.missing().flatMap(ProviderOutcome.Failure::rateLimit);
    }
}
