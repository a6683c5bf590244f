package dev.pacer.providers;

import dev.pacer.core.batch.BatchLine;
import dev.pacer.core.batch.BatchLineResult;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountKeys;
import dev.pacer.providers.gemini.GeminiBatchProvider;
import dev.pacer.providers.openai.OpenAiBatchProvider;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the batch lane meets the providers' Batch APIs: each call goes to the adapter of the account's provider. The
 * adapters look the account's key up for each call, as {@link RoutingImageProvider} does. A provider without a Batch
 * API (Bedrock here) is refused, not retried.
 */
public final class RoutingBatchProvider implements BatchProvider {

    private final Map<String, BatchProvider> byProvider;

    public RoutingBatchProvider(Map<String, BatchProvider> byProvider) {
        this.byProvider = Map.copyOf(byProvider);
    }

    /**
     * Gemini's and OpenAI's Batch APIs, and {@code simulated} for the simulated provider's accounts.
     *
     * @param openAiQuality      as for the sync OpenAI adapter ({@code PACER_OPENAI_QUALITY})
     * @param openAiOutputFormat as for the sync OpenAI adapter ({@code PACER_OPENAI_OUTPUT_FORMAT})
     * @param inputs             where an edit's reference images are read (the sync lane's S3 adapter), streamed into its lines
     */
    public RoutingBatchProvider(AccountKeys keys, ProviderTimeouts timeouts, ModelCatalog catalog,
                                String openAiQuality, String openAiOutputFormat, InputImages inputs, BatchProvider simulated) {
        this(Map.of(
                "gemini", new GeminiBatchProvider(keys, timeouts, catalog, inputs),
                "openai", new OpenAiBatchProvider(keys, timeouts, openAiQuality, openAiOutputFormat, catalog, inputs),
                Account.SIMULATED_PROVIDER, simulated));
    }

    /** Whether the account's provider has a Batch API here: the lane sends an account without one to the sync lane. */
    public boolean supports(Account account) {
        return byProvider.containsKey(account.provider());
    }

    @Override
    public ProviderBatch open(Account account, String model, String displayName, List<BatchLine> lines) {
        return adapter(account).open(account, model, displayName, lines);
    }

    @Override
    public List<ProviderBatch> findByDisplayName(Account account, String displayName) {
        return adapter(account).findByDisplayName(account, displayName);
    }

    @Override
    public ProviderBatch poll(Account account, ProviderBatch batch) {
        return adapter(account).poll(account, batch);
    }

    @Override
    public void results(Account account, ProviderBatch batch, Consumer<BatchLineResult> each) {
        adapter(account).results(account, batch, each);
    }

    @Override
    public void cancel(Account account, ProviderBatch batch) {
        adapter(account).cancel(account, batch);
    }

    private BatchProvider adapter(Account account) {
        BatchProvider adapter = byProvider.get(account.provider());
        if (adapter == null) {
            throw new BatchProviderException("no Batch API for provider " + account.provider() + " (account " + account.id() + ")", false);
        }
        return adapter;
    }
}
