package dev.pacer.worker;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.port.ImageProvider;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.ProviderGateway;
import dev.pacer.core.quota.RateLimit;

import java.util.Optional;

/**
 * Adapts today's account-less {@link ImageProvider} to the ledger's {@link ProviderGateway}.
 *
 * <p>Merge point with the real providers (issue 4): once {@code ImageProvider.generate} takes the account and
 * {@code ProviderOutcome} has {@code RateLimited(retryDelay, perDay, ...)}, {@code generate} passes the account
 * (with its key from {@code AccountKeys}) and {@code rateLimit} maps {@code RateLimited} to {@link RateLimit}.
 */
final class ProviderGateways {

    private ProviderGateways() {
    }

    static ProviderGateway accountless(ImageProvider provider) {
        return new ProviderGateway() {
            @Override
            public ProviderOutcome generate(GenerationRequest request, Account account) {
                return provider.generate(request);
            }

            @Override
            public Optional<RateLimit> rateLimit(ProviderOutcome outcome) {
                return Optional.empty();
            }
        };
    }
}
