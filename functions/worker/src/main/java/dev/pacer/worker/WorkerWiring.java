package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.quota.AccountPools;
import dev.pacer.aws.quota.DynamoDbParkedJobs;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.providers.simulated.SimulatedImageProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** The one place where the worker's use case meets its adapters. */
@ApplicationScoped
public class WorkerWiring {

    @Produces
    @Singleton // a record cannot be proxied
    AccountPool accountPool(WorkerConfig config) {
        // SSM only when a parameter is named; no Quarkiverse SSM extension is served here, so a plain SDK client.
        return AccountPools.load(config.accountsFile(), config.accountsParameter(),
                () -> SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), ModelCatalog.standard());
    }

    @Produces
    @ApplicationScoped
    QuotaLedger quotaLedger(AccountPool pool, DynamoDbClient dynamoDb, WorkerConfig config) {
        return new PooledQuotaLedger(pool, new DynamoDbQuotaStateStore(dynamoDb, config.quotaTable()),
                new QuotaWindows(config.quotaWindowGuard()), Clock.systemUTC(), new SecureRandom());
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
    ProcessGeneration processGeneration(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, QuotaLedger ledger,
            WorkerConfig config) {
        return new ProcessGeneration(
                new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays())),
                ledger,
                ModelCatalog.standard(),
                ProviderGateways.accountless(
                        new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide())),
                new S3ImageStore(s3, presigner, config.imagesBucket()),
                new RetryPolicy(config.maxAttempts(), config.attemptLease()),
                Clock.systemUTC());
    }
}
