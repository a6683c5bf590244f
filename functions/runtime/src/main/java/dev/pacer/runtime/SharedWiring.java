package dev.pacer.runtime;

import dev.pacer.aws.calls.SdkClients;
import dev.pacer.aws.catalog.ConfiguredCatalog;
import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.AccountPools;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.s3.S3InputImages;
import dev.pacer.core.port.InputImages;
import dev.pacer.aws.sqs.SqsCompletionNotices;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.PriceTable;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import dev.pacer.aws.dynamodb.DynamoDbBatchStore;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.usecase.BatchLaneSettings;
import dev.pacer.core.usecase.BatchSupport;
import dev.pacer.core.usecase.LanePolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * What every function needs, made once: the clock, the model catalog, the job store, the job queue, the completion
 * notices, the image store, the metrics, the account pool and the quota ledger. Each function's own wiring builds its use cases from these.
 */
@ApplicationScoped
public class SharedWiring {

    private static final Logger LOG = Logger.getLogger(SharedWiring.class);
    /** Where prices were set before the catalog had them. */
    private static final String RETIRED_PRICES_VARIABLE = "PACER_PRICES";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The catalog as the bundled file and the operator's override (a file, or an SSM parameter) say; an error in either
     * stops the function at start-up, naming the file, the model and the field.
     */
    @Produces
    @Singleton
    ConfiguredCatalog configuredCatalog(SharedConfig config) {
        ConfiguredCatalog configured = ModelCatalogs.configured(config.catalogFile(), config.catalogParameter(), SdkClients::ssm);
        if (System.getenv(RETIRED_PRICES_VARIABLE) != null) {
            LOG.warnf("%s is no longer read: prices are in the model catalog (docs/models.md); override them there", RETIRED_PRICES_VARIABLE);
        }
        return configured;
    }

    /**
     * The models submissions may name: the configured catalog and the models the pool names that it lacks (served as
     * named by the account's provider, without price or token estimates).
     */
    @Produces
    @Singleton
    ModelCatalog modelCatalog(ConfiguredCatalog configured, AccountPool pool) {
        configured.catalog().poolNotes(pool).forEach(LOG::warn);
        ModelCatalog catalog = configured.catalog().servingPool(pool);
        LOG.infof("model catalog (%s): %s; default %s", configured.sources(), catalog.names(), catalog.defaultModel().id());
        return catalog;
    }

    /** The catalog's prices, per image, by model and resolution. */
    @Produces
    @Singleton
    PriceTable prices(ModelCatalog catalog) {
        return PriceTable.of(catalog);
    }

    /**
     * Reads and checks the catalog at start-up where the handler uses it (the intake, the job worker: the functions that
     * prime), so a broken catalog stops the function before its first event. The package's other handlers never read
     * it, and their roles may not read its SSM parameter.
     */
    void catalogAtStart(@Observes StartupEvent start, Instance<StartupPriming> function, Instance<ModelCatalog> catalog) {
        if (function.isResolvable() && function.get().applies()) {
            catalog.get();
        }
    }

    @Produces
    @ApplicationScoped
    JobStore jobStore(DynamoDbClient dynamoDb, SharedConfig config) {
        return new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays()));
    }

    @Produces
    @ApplicationScoped
    BatchStore batchStore(DynamoDbClient dynamoDb, SharedConfig config) {
        return new DynamoDbBatchStore(dynamoDb, config.batchesTable(), Duration.ofDays(config.jobRetentionDays()));
    }

    @Produces
    @Singleton
    BatchSupport batchSupport(ModelCatalog catalog, AccountPool pool) {
        return new BatchSupport(catalog, pool);
    }

    @Produces
    @Singleton
    BatchLaneSettings batchLaneSettings(SharedConfig config) {
        SharedConfig.Batch batch = config.batch();
        return new BatchLaneSettings(batch.minLines(), batch.maxAge(), batch.maxLines(), batch.maxOpenPerAccount(), batch.staleIntent(),
                batch.maxAttempts(), new LanePolicy(batch.target(), batch.margin()));
    }

    @Produces
    @ApplicationScoped
    SqsJobQueue jobQueue(SqsClient sqs, SharedConfig config) {
        return new SqsJobQueue(sqs, config.jobsQueueUrl());
    }

    @Produces
    @ApplicationScoped
    CompletionNotices completionNotices(SqsClient sqs, SharedConfig config) {
        return new SqsCompletionNotices(sqs, config.callbacks().queueUrl());
    }

    @Produces
    @ApplicationScoped
    S3ImageStore imageStore(S3Client s3, S3Presigner presigner, SharedConfig config) {
        return new S3ImageStore(s3, presigner, config.imagesBucket());
    }

    /** Reference images of edits, in the images bucket: intake reads their first bytes, the worker streams them to providers. */
    @Produces
    @ApplicationScoped
    InputImages inputImages(S3Client s3, SharedConfig config) {
        return new S3InputImages(s3, config.imagesBucket());
    }

    @Produces
    @ApplicationScoped
    JobMetrics jobMetrics(SharedConfig config, Clock clock) {
        return EmfJobMetrics.toStdout(config.metricsService(), clock);
    }

    /**
     * The pool a named file or SSM parameter holds, else one account per provider key in the environment and the
     * simulated account for the other models. Every function reads it here, so GET /v1/quota reports the accounts the
     * worker reserves on.
     */
    @Produces
    @Singleton // a record cannot be proxied
    AccountPool accountPool(SharedConfig config, Instance<ConfiguredCatalog> catalog) {
        // SSM only when a parameter is named; no Quarkiverse SSM extension is served here, so a plain SDK client.
        // The catalog only when the pool is made from it: the environment's accounts serve the catalog's models.
        AccountPool pool = AccountPools.named(config.accountsFile(), config.accountsParameter(), SdkClients::ssm)
                .orElseGet(() -> EnvironmentAccounts.pool(config, catalog.get().catalog()));
        LOG.infof("account pool: %s", pool.accounts().stream().map(a -> a.id() + " (" + a.provider() + ")").toList());
        return pool;
    }

    /**
     * The ledger over the quota table. The intake only reads it (for GET /v1/quota and /v1/capacity; its role may not
     * write the table); the worker reserves with it. Its random source is made on first use, never in a snapshot.
     */
    @Produces
    @ApplicationScoped
    QuotaLedger quotaLedger(AccountPool pool, DynamoDbClient dynamoDb, SharedConfig config, Clock clock) {
        return new PooledQuotaLedger(pool, new DynamoDbQuotaStateStore(dynamoDb, config.quotaTable()),
                new QuotaWindows(config.quotaWindowGuard()), clock, new SecureRandom());
    }
}
