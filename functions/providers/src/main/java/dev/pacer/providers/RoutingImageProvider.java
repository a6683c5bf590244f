package dev.pacer.providers;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderAccount;
import dev.pacer.core.port.ProviderOutcome;

import java.util.Map;

/** Sends each call to the adapter of the account's provider. */
public final class RoutingImageProvider implements ImageProvider {

    private final Map<String, ImageProvider> byProvider;

    public RoutingImageProvider(Map<String, ImageProvider> byProvider) {
        this.byProvider = Map.copyOf(byProvider);
    }

    @Override
    public ProviderOutcome generate(GenerationRequest request, ProviderAccount account) {
        ImageProvider adapter = byProvider.get(account.provider());
        if (adapter == null) {
            return new ProviderOutcome.Refused("provider_not_configured", "no " + account.provider()
                    + " account is configured for " + request.model() + " (see functions/providers/README.md)");
        }
        return adapter.generate(request, account);
    }
}
