package dev.pacer.intake;

import dev.pacer.aws.calls.SdkClients;
import dev.pacer.aws.cloudwatch.EmfJobMetrics;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.dynamodb.DynamoDbRecentLatencies;
import dev.pacer.core.capacity.AwsCosts;
import dev.pacer.core.capacity.CapacityPlanner;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.aws.quota.AccountPools;
import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.PooledQuotaLedger;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.quota.QuotaWindows;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.aws.sqs.SqsJobQueue;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.usecase.CallbackUrlPolicy;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.SubmissionRules;
import dev.pacer.core.usecase.SubmissionValidator;
import dev.pacer.core.usecase.SubmitGeneration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** The one place where the intake's use cases meet their AWS adapters. */
@ApplicationScoped
public class IntakeWiring {

    @Produces
    @ApplicationScoped
    JobStore jobStore(DynamoDbClient dynamoDb, IntakeConfig config) {
        return new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays()));
    }

    @Produces
    @ApplicationScoped
    SubmitGeneration submitGeneration(JobStore jobs, SqsClient sqs, IntakeConfig config) {
        return submitGeneration(config, jobs, new SqsJobQueue(sqs, config.jobsQueueUrl()),
                EmfJobMetrics.toStdout(config.metricsService(), Clock.systemUTC()));
    }

    /** The submit use case over these ports, with the intake's rules (also what bench/ times, over no-op ports). */
    public static SubmitGeneration submitGeneration(IntakeConfig config, JobStore jobs, JobQueue queue, JobMetrics metrics) {
        var validator = new SubmissionValidator(ModelCatalog.standard(),
                new SubmissionRules(config.maxPromptLength(), config.maxImagesPerJob(), SubmissionRules.standard().maxMetadataEntries()));
        return new SubmitGeneration(validator, new CallbackUrlPolicy(config.callbacks().allowHttpToLoopback()), jobs, queue, metrics,
                Clock.systemUTC());
    }

    @Produces
    @Singleton // a record cannot be proxied
    AccountPool accountPool(IntakeConfig config) {
        return AccountPools.load(config.accountsFile(), config.accountsParameter(),
                SdkClients::ssm, ModelCatalog.standard());
    }

    /** Read-only here: the intake only reports usage (its role may not write the quota table). */
    @Produces
    @ApplicationScoped
    QuotaLedger quotaLedger(AccountPool pool, DynamoDbClient dynamoDb, IntakeConfig config) {
        return new PooledQuotaLedger(pool, new DynamoDbQuotaStateStore(dynamoDb, config.quotaTable()),
                new QuotaWindows(config.quotaWindowGuard()), Clock.systemUTC(), new Random());
    }

    @Produces
    @ApplicationScoped
    CapacityPlanner capacityPlanner(AccountPool pool, QuotaLedger ledger, DynamoDbClient dynamoDb, IntakeConfig config) {
        IntakeConfig.Capacity capacity = config.capacity();
        return new CapacityPlanner(pool, ledger, new DynamoDbRecentLatencies(dynamoDb, config.jobsTable()), PriceTable.parse(config.prices()),
                new AwsCosts(AwsCosts.US_EAST_1, capacity.workerMemoryMb(), capacity.intakeMemoryMb(), capacity.imageRetentionDays()),
                Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ReadGeneration readGeneration(JobStore jobs, S3Client s3, S3Presigner presigner, IntakeConfig config) {
        return new ReadGeneration(jobs, new S3ImageStore(s3, presigner, config.imagesBucket()), config.imageUrlValidity());
    }
}
