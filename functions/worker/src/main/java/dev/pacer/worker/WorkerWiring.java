package dev.pacer.worker;

import dev.pacer.aws.calls.SdkClients;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.quota.SecretsManagerAccountKeys;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.BatchProvider;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.usecase.BatchLaneSettings;
import dev.pacer.core.usecase.BatchSupport;
import dev.pacer.core.usecase.CollectBatches;
import dev.pacer.core.usecase.PollBatches;
import dev.pacer.providers.simulated.SimulatedBatchProvider;
import software.amazon.awssdk.services.s3.S3Client;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.usecase.CallbackAddresses;
import dev.pacer.core.usecase.CallbackPolicy;
import dev.pacer.core.usecase.DeliverCallback;
import dev.pacer.core.usecase.ImageBytesBudget;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.RoutingBatchProvider;
import dev.pacer.providers.RoutingImageProvider;
import dev.pacer.providers.bedrock.BedrockClients;
import dev.pacer.providers.bedrock.NovaCanvasImageProvider;
import dev.pacer.providers.gemini.GeminiImageProvider;
import dev.pacer.providers.openai.OpenAiImageProvider;
import dev.pacer.providers.simulated.SimulatedImageProvider;
import dev.pacer.runtime.EnvironmentAccounts;
import dev.pacer.runtime.SharedConfig;
import dev.pacer.worker.callbacks.CallbackSignature;
import dev.pacer.worker.callbacks.HttpCallbackEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The worker's use cases, built from the ports every function shares (dev.pacer.runtime.SharedWiring) and its own. */
@ApplicationScoped
public class WorkerWiring {

    private static final Logger LOG = Logger.getLogger(WorkerWiring.class);

    @Produces
    @ApplicationScoped
    DynamoDbParkedJobs parkedJobs(DynamoDbClient dynamoDb, SharedConfig config) {
        return new DynamoDbParkedJobs(dynamoDb, config.quotaTable());
    }

    /** Only the deliver-callbacks function asks for this: only it needs the signing key. */
    @Produces
    @ApplicationScoped
    DeliverCallback deliverCallback(JobStore jobs, ImageStore images, CompletionNotices notices, ObjectMapper json,
            CallbacksConfig callbacks, Clock clock) {
        String key = callbacks.signingKey().filter(k -> !k.isBlank()).orElseGet(() -> {
            String secretId = callbacks.signingSecretId().filter(id -> !id.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "no callback signing key: set PACER_CALLBACKS_SIGNING_KEY or PACER_CALLBACKS_SIGNING_SECRET_ID"));
            try (SecretsManagerClient secrets = SdkClients.secretsManager()) {
                return secrets.getSecretValue(get -> get.secretId(secretId)).secretString();
            }
        });
        return new DeliverCallback(jobs,
                new ReadGeneration(jobs, images, callbacks.imageUrlValidity()),
                new HttpCallbackEndpoint(json, new CallbackSignature(key), callbacks.connectTimeout(), callbacks.readTimeout(), clock,
                        new CallbackAddresses(callbacks.allowHttpToLoopback())),
                notices,
                new CallbackPolicy(callbacks.maxAttempts(), callbacks.firstBackoff()),
                clock);
    }

    /** One per instance: the jobs of a batch run side by side in this JVM and share its heap. */
    @Produces
    @ApplicationScoped
    ImageBytesBudget imagesInFlight(GenerationConfig config) {
        GenerationConfig.ImagesInFlight settings = config.imagesInFlight();
        ImageBytesBudget budget = settings.budgetMb()
                .map(mb -> new ImageBytesBudget(mb, settings.maxWait()))
                .orElseGet(() -> ImageBytesBudget.ofHeap(Runtime.getRuntime().maxMemory(), settings.heapFraction(), settings.maxWait()));
        LOG.infof("images in flight: %s of a %d MiB heap (a 4K image counts %d MiB)", budget, Runtime.getRuntime().maxMemory() >> 20,
                ImageBytesBudget.mibPerImage(Resolution.FOUR_K));
        return budget;
    }

    @Produces
    @ApplicationScoped
    ProcessGeneration processGeneration(JobStore jobs, QuotaLedger ledger, AccountPool pool, ModelCatalog catalog, ImageStore images,
            ImageBytesBudget imagesInFlight, PriceTable prices, JobMetrics metrics, CompletionNotices notices, SharedConfig shared,
            GenerationConfig config, InputImages inputs, Clock clock) {
        var keys = new SecretsManagerAccountKeys(SdkClients::secretsManager,
                EnvironmentAccounts.variables(shared), clock);
        return new ProcessGeneration(
                jobs,
                ledger,
                new RoutingImageProvider(adapters(config, shared, pool, catalog, inputs), keys),
                images,
                imagesInFlight,
                metrics,
                notices,
                new ProcessGeneration.Settings(catalog,
                        new RetryPolicy(config.maxAttempts(), config.attemptLease(), config.ambiguousRetries(), config.maxQuotaWait()),
                        prices, clock));
    }

    /**
     * The batch lane's provider, by the account's provider: Gemini's and OpenAI's Batch APIs, and the simulated
     * provider's batch mode (its batches kept in S3, where the collector and the poller, in other processes, both see
     * them). An edit's reference images are read from S3 as the sync lane reads them, by the collector when it opens
     * the batch. An account whose provider has no Batch API is refused, so its jobs end FAILED batch_refused.
     */
    @Produces
    @ApplicationScoped
    BatchProvider batchProvider(S3Client s3, SharedConfig shared, GenerationConfig config, ModelCatalog catalog, InputImages inputs,
            Clock clock) {
        var keys = new SecretsManagerAccountKeys(SdkClients::secretsManager, EnvironmentAccounts.variables(shared), clock);
        var simulated = new SimulatedBatchProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide(),
                new SimulatedBatchesInS3(s3, shared.imagesBucket()), inputs, clock);
        return new RoutingBatchProvider(keys, timeouts(config), catalog, config.openai().quality(), config.openai().outputFormat(), inputs,
                simulated);
    }

    @Produces
    @ApplicationScoped
    CollectBatches collectBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, BatchLaneSettings settings,
            InputImages inputs, JobQueue syncQueue, Clock clock) {
        // the jobs queue: a job whose deadline no longer allows a batch goes to the sync lane
        return new CollectBatches(jobs, batches, provider, support, settings, inputs, syncQueue, clock);
    }

    @Produces
    @ApplicationScoped
    PollBatches pollBatches(JobStore jobs, BatchStore batches, BatchProvider provider, BatchSupport support, ImageStore images,
            JobQueue syncQueue, CompletionNotices notices, JobMetrics metrics, PriceTable prices, BatchLaneSettings settings, Clock clock) {
        return new PollBatches(jobs, batches, provider, support, images, syncQueue, notices, metrics, prices, settings, clock);
    }

    /** One adapter per provider the pool has accounts of (the simulated one always, for local runs and tests). */
    private static Map<String, ProviderAdapter> adapters(GenerationConfig config, SharedConfig shared, AccountPool pool, ModelCatalog catalog,
            InputImages inputs) {
        ProviderTimeouts timeouts = timeouts(config);
        Map<String, ProviderAdapter> adapters = new HashMap<>();
        adapters.put(Account.SIMULATED_PROVIDER, new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide(),
                inputs));
        for (var account : pool.accounts()) {
            switch (account.provider()) {
                case "gemini" -> adapters.computeIfAbsent("gemini", p -> new GeminiImageProvider(timeouts, catalog, inputs));
                case "openai" -> adapters.computeIfAbsent("openai",
                        p -> new OpenAiImageProvider(timeouts, config.openai().quality(), config.openai().outputFormat(), catalog,
                                inputs));
                case "bedrock" -> adapters.computeIfAbsent("bedrock", p -> {
                    Region region = Region.of(shared.bedrock().region().orElse(System.getenv().getOrDefault("AWS_REGION", "us-east-1")));
                    return new NovaCanvasImageProvider(providerAccount -> BedrockClients.forAccount(providerAccount, region, timeouts),
                            timeouts, config.bedrock().quality(), catalog, inputs);
                });
                default -> { }
            }
        }
        return adapters;
    }

    private static ProviderTimeouts timeouts(GenerationConfig config) {
        return ProviderTimeouts.of(config.timeouts().connect(), config.timeouts().upTo2k(), config.timeouts().fourK());
    }
}
