package dev.pacer.worker;

import dev.pacer.aws.calls.SdkClients;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.AccountPools;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.quota.SecretsManagerAccountKeys;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.SqsCompletionNotices;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.catalog.ModelCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.CallbackPolicy;
import dev.pacer.core.usecase.DeliverCallback;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.providers.ProviderAdapter;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.RoutingImageProvider;
import dev.pacer.providers.bedrock.BedrockClients;
import dev.pacer.providers.bedrock.NovaCanvasImageProvider;
import dev.pacer.providers.gemini.GeminiImageProvider;
import dev.pacer.providers.openai.OpenAiImageProvider;
import dev.pacer.providers.simulated.SimulatedImageProvider;
import dev.pacer.worker.callbacks.CallbackSignature;
import dev.pacer.worker.callbacks.HttpCallbackEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The one place where the worker's use case meets its adapters. */
@ApplicationScoped
public class WorkerWiring {

    private static final Logger LOG = Logger.getLogger(WorkerWiring.class);

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    JobStore jobStore(DynamoDbClient dynamoDb, WorkerConfig config) {
        return new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays()));
    }

    @Produces
    @ApplicationScoped
    JobMetrics jobMetrics(WorkerConfig config, Clock clock) {
        return EmfJobMetrics.toStdout(config.metricsService(), clock);
    }

    @Produces
    @Singleton // a record cannot be proxied
    AccountPool accountPool(WorkerConfig config) {
        boolean named = config.accountsFile().filter(f -> !f.isBlank()).isPresent()
                || config.accountsParameter().filter(p -> !p.isBlank()).isPresent();
        // SSM only when a parameter is named; no Quarkiverse SSM extension is served here, so a plain SDK client.
        AccountPool pool = named
                ? AccountPools.load(config.accountsFile(), config.accountsParameter(),
                        SdkClients::ssm, ModelCatalog.standard())
                : EnvironmentAccounts.pool(config, ModelCatalog.standard());
        LOG.infof("account pool: %s", pool.accounts().stream().map(a -> a.id() + " (" + a.provider() + ")").toList());
        return pool;
    }

    @Produces
    @ApplicationScoped
    QuotaLedger quotaLedger(AccountPool pool, DynamoDbClient dynamoDb, WorkerConfig config, Clock clock) {
        return new PooledQuotaLedger(pool, new DynamoDbQuotaStateStore(dynamoDb, config.quotaTable()),
                new QuotaWindows(config.quotaWindowGuard()), clock, new SecureRandom());
    }

    @Produces
    @ApplicationScoped
    SqsJobQueue jobQueue(SqsClient sqs, WorkerConfig config) {
        return new SqsJobQueue(sqs, config.jobsQueueUrl());
    }

    @Produces
    @ApplicationScoped
    DynamoDbParkedJobs parkedJobs(DynamoDbClient dynamoDb, WorkerConfig config) {
        return new DynamoDbParkedJobs(dynamoDb, config.quotaTable());
    }

    @Produces
    @ApplicationScoped
    CompletionNotices completionNotices(SqsClient sqs, WorkerConfig config) {
        return new SqsCompletionNotices(sqs, config.callbacks().queueUrl());
    }

    /** Only the deliver-callbacks function asks for this: only it needs the signing key. */
    @Produces
    @ApplicationScoped
    DeliverCallback deliverCallback(JobStore jobs, S3Client s3, S3Presigner presigner, CompletionNotices notices, ObjectMapper json,
            WorkerConfig config, Clock clock) {
        WorkerConfig.Callbacks callbacks = config.callbacks();
        String key = callbacks.signingKey().filter(k -> !k.isBlank()).orElseGet(() -> {
            String secretId = callbacks.signingSecretId().filter(id -> !id.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "no callback signing key: set PACER_CALLBACKS_SIGNING_KEY or PACER_CALLBACKS_SIGNING_SECRET_ID"));
            try (SecretsManagerClient secrets = SdkClients.secretsManager()) {
                return secrets.getSecretValue(get -> get.secretId(secretId)).secretString();
            }
        });
        return new DeliverCallback(jobs,
                new ReadGeneration(jobs, new S3ImageStore(s3, presigner, config.imagesBucket()), callbacks.imageUrlValidity()),
                new HttpCallbackEndpoint(json, new CallbackSignature(key), callbacks.connectTimeout(), callbacks.readTimeout(), clock),
                notices,
                new CallbackPolicy(callbacks.maxAttempts(), callbacks.firstBackoff()),
                clock);
    }

    @Produces
    @ApplicationScoped
    ProcessGeneration processGeneration(JobStore jobs, QuotaLedger ledger, AccountPool pool, S3Client s3, S3Presigner presigner,
            JobMetrics metrics, CompletionNotices notices, WorkerConfig config, Clock clock) {
        var keys = new SecretsManagerAccountKeys(SdkClients::secretsManager,
                EnvironmentAccounts.variables(config), clock);
        return new ProcessGeneration(
                jobs,
                ledger,
                new RoutingImageProvider(adapters(config, pool), keys),
                new S3ImageStore(s3, presigner, config.imagesBucket()),
                metrics,
                notices,
                new ProcessGeneration.Settings(ModelCatalog.standard(),
                        new RetryPolicy(config.maxAttempts(), config.attemptLease(), config.ambiguousRetries()),
                        PriceTable.parse(config.prices()), clock));
    }

    /** One adapter per provider the pool has accounts of (the simulated one always, for local runs and tests). */
    private static Map<String, ProviderAdapter> adapters(WorkerConfig config, AccountPool pool) {
        ProviderTimeouts timeouts = ProviderTimeouts.of(config.timeouts().connect(), config.timeouts().upTo2k(), config.timeouts().fourK());
        Map<String, ProviderAdapter> adapters = new HashMap<>();
        adapters.put(Account.SIMULATED_PROVIDER, new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide()));
        for (var account : pool.accounts()) {
            switch (account.provider()) {
                case "gemini" -> adapters.computeIfAbsent("gemini", p -> new GeminiImageProvider(timeouts));
                case "openai" -> adapters.computeIfAbsent("openai",
                        p -> new OpenAiImageProvider(timeouts, config.openai().quality(), config.openai().outputFormat()));
                case "bedrock" -> adapters.computeIfAbsent("bedrock", p -> {
                    Region region = Region.of(config.bedrock().region().orElse(System.getenv().getOrDefault("AWS_REGION", "us-east-1")));
                    return new NovaCanvasImageProvider(providerAccount -> BedrockClients.forAccount(providerAccount, region, timeouts),
                            timeouts, config.bedrock().quality());
                });
                default -> { }
            }
        }
        return adapters;
    }
}
