package dev.pacer.worker;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.quota.Account;

import java.util.List;
import java.util.function.Consumer;

/**
 * The batch lane's provider until the Gemini and OpenAI Batch API adapters are wired in: the simulated provider's batch
 * mode for simulated accounts, and a refusal (not retryable, so the jobs end FAILED visibly) for every other account.
 */
final class SimulatedAccountsOnly implements BatchProvider {

    private final BatchProvider simulated;

    SimulatedAccountsOnly(BatchProvider simulated) {
        this.simulated = simulated;
    }

    @Override
    public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        return served(account).open(account, model, displayName, lines);
    }

    @Override
    public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        return served(account).findByDisplayName(account, displayName);
    }

    @Override
    public ProviderBatch poll(Account account, ProviderBatch batch) {
        return served(account).poll(account, batch);
    }

    @Override
    public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        served(account).results(account, batch, each);
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        served(account).cancel(account, batch);
    }

    private BatchProvider served(Account account) {
        if (!account.isSimulated()) {
            throw new BatchProviderException("no Batch API adapter for " + account.provider() + " accounts yet (account " + account.id() + ")",
                    false);
        }
        return simulated;
    }
}
