package dev.pacer.providers;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;

import java.util.Map;
import java.util.concurrent.CompletionException;

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

    /**
     * A key that cannot be found throws, and the use case takes that for a passing failure. An {@link Error} during the
     * adapter's call (an OutOfMemoryError reading a big answer) is an ambiguous outcome: the request was sent.
     */
    @Override
    public ProviderOutcome generate(GenerationRequest request, Account account) {
        String key = keys.apiKey(account).orElse("");
        ProviderAdapter adapter = byProvider.get(account.provider());
        if (adapter == null) {
            return new ProviderOutcome.Refused("provider_not_configured", "no " + account.provider()
                    + " account is configured for " + request.model() + " (see functions/providers/README.md)");
        }
        ProviderAccount providerAccount = new ProviderAccount(account.id(), account.provider(), account.baseUrl(), key);
        try {
            return adapter.generate(request, providerAccount);
        } catch (Error error) {
            // the adapters build their few-KB requests first and send at once: an Error comes while the call is in flight
            return Outcomes.errorDuringCall(account.provider(), error).orElseThrow();
        } catch (CompletionException failed) {
            return Outcomes.errorDuringCall(account.provider(), failed).orElseThrow(() -> failed);
        }
    }
}
