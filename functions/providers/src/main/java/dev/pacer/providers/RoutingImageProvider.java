package dev.pacer.providers;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;

import java.util.Map;

/**
 * Where the quota ledger's account meets the provider adapters: each call goes to the adapter of the account's
 * provider, with the account's base URL and its key, resolved from the key reference only now, for this call.
 */
public final class RoutingImageProvider implements ImageProvider {

    private final Map<String, ProviderAdapter> byProvider;
    private final AccountKeys keys;

    public RoutingImageProvider(Map<String, ProviderAdapter> byProvider, AccountKeys keys) {
        this.byProvider = Map.copyOf(byProvider);
        this.keys = keys;
    }

    /** A key that cannot be found throws, and the use case takes that for a passing failure. */
    @Override
    public ProviderOutcome generate(GenerationRequest request, Account account) {
        String key = keys.apiKey(account).orElse("");
        ProviderAdapter adapter = byProvider.get(account.provider());
        if (adapter == null) {
            return new ProviderOutcome.Refused("provider_not_configured", "no " + account.provider()
                    + " account is configured for " + request.model() + " (see functions/providers/README.md)");
        }
        return adapter.generate(request, new ProviderAccount(account.id(), account.provider(), account.baseUrl(), key));
    }
}
