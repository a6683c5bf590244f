package dev.pacer.core.usecase;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;

import java.util.List;
import java.util.Set;

/**
 * Which models the batch lane can serve: a model whose provider has a Batch API (Gemini, OpenAI; Bedrock's is not
 * used), on an account of the pool whose provider has one too (the simulated provider has a batch mode for local
 * runs). The catalog's batch price is the lane's price; a model without one costs 0 there, as on the sync lane.
 */
public final class BatchSupport {

    /** The providers whose Batch API pacer speaks, and the simulated one. */
    public static final Set<String> BATCH_PROVIDERS = Set.of("gemini", "openai", Account.SIMULATED_PROVIDER);

    private final ModelCatalog catalog;
    private final AccountPool pool;

    public BatchSupport(ModelCatalog catalog, AccountPool pool) {
        this.catalog = catalog;
        this.pool = pool;
    }

    /** No batch lane at all: what a use case built without one gets. */
    public static BatchSupport none() {
        return new BatchSupport(null, new AccountPool(List.of()));
    }

    /** Whether a job of {@code model} can go on the batch lane. */
    public boolean serves(String model) {
        return catalog != null && catalog.find(model).map(ModelSpec::provider).filter(BATCH_PROVIDERS::contains).isPresent() && !accounts(model).isEmpty();
    }

    /** The pool's accounts that may open batches for {@code model}. */
    public List<Account> accounts(String model) {
        return pool.serving(model).stream().filter(account -> BATCH_PROVIDERS.contains(account.provider())).toList();
    }

    /** The models the collector looks for waiting jobs of. */
    public List<String> models() {
        return catalog == null ? List.of() : catalog.names().stream().filter(this::serves).toList();
    }

    /**
     * The tokens a job enqueues in a batch, as the sync lane estimates a call's ({@link Demand}): its prompt per
     * request, each reference image's input tokens per request, each image's output tokens from the catalog.
     */
    public long enqueuedTokens(GenerationRequest request) {
        return catalog == null ? 0 : catalog.find(request.model()).map(model -> Demand.of(request, model).tokens()).orElse(0L);
    }

    /** An image's output tokens at {@code resolution}, the bulk of what a batch line enqueues (its prompt aside). */
    public long enqueuedTokensPerImage(String model, dev.pacer.core.job.Resolution resolution) {
        return catalog == null ? 0 : catalog.find(model).map(spec -> dev.pacer.core.quota.TokenEstimate.outputTokensPerImage(spec, resolution))
                .orElse(0L);
    }

    /** The accounts the poller looks at: those that may have batches open. */
    public List<Account> batchAccounts() {
        return pool.accounts().stream().filter(account -> BATCH_PROVIDERS.contains(account.provider())).toList();
    }
}
