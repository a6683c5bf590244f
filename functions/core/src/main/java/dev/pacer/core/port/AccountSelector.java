package dev.pacer.core.port;

import dev.pacer.core.job.GenerationRequest;

/**
 * Chooses the account an attempt runs on. For now one account per provider from configuration;
 * the quota ledger replaces this with a reservation among a pool.
 */
public interface AccountSelector {

    ProviderAccount select(GenerationRequest request);
}
