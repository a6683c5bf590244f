package dev.pacer.core.port;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.quota.Account;

/**
 * A model that turns a prompt into images, called on the account the quota ledger reserved. Calls block for
 * seconds to minutes. Implementations never throw for provider answers or transport failures: every ending maps
 * to a {@link ProviderOutcome}. Anything else they throw (a key that cannot be found) the caller takes for a
 * passing failure.
 */
public interface ImageProvider {

    /** Makes {@code request.count()} images on the account: its provider, base URL and key. */
    ProviderOutcome generate(GenerationRequest request, Account account);
}
