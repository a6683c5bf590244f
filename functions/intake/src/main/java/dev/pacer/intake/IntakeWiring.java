package dev.pacer.intake;

import dev.pacer.aws.dynamodb.DynamoDbRecentLatencies;
import dev.pacer.aws.dynamodb.DynamoDbUploadStore;
import dev.pacer.aws.s3.S3PostPolicy;
import dev.pacer.core.capacity.AwsCosts;
import dev.pacer.core.capacity.CapacityPlanner;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.CompletionNotices;
import dev.pacer.core.usecase.BatchLaneSettings;
import dev.pacer.core.usecase.BatchQuota;
import dev.pacer.core.usecase.BatchSupport;
import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.InputImages;
import dev.pacer.core.port.JobMetrics;
import dev.pacer.core.port.JobQueue;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.UploadStore;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.QuotaLedger;
import dev.pacer.core.usecase.CallbackUrlPolicy;
import dev.pacer.core.usecase.CallerCap;
import dev.pacer.core.usecase.CancelGeneration;
import dev.pacer.core.usecase.CreateUpload;
import dev.pacer.core.usecase.DeadlinePolicy;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ReadGeneration;
import dev.pacer.core.usecase.SubmissionInputs;
import dev.pacer.core.usecase.SubmissionRules;
import dev.pacer.core.usecase.SubmissionValidator;
import dev.pacer.core.usecase.SubmitGeneration;
import dev.pacer.runtime.SharedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;

/** The intake's use cases, built from the ports every function shares (dev.pacer.runtime.SharedWiring). */
@ApplicationScoped
public class IntakeWiring {

    /** The submit use case over these ports, with the intake's rules; edits' inputs read from the uploads and the bucket. */
    @Produces
    @ApplicationScoped
    SubmitGeneration submitGeneration(IntakeConfig config, ModelCatalog catalog, JobStore jobs, JobQueue queue, JobMetrics metrics,
            UploadStore uploads, InputImages inputImages, Clock clock, BatchSupport batchSupport, BatchLaneSettings batchLane) {
        return submitGeneration(config, catalog, new SubmissionInputs(uploads, jobs, inputImages, clock), jobs, queue, metrics, clock,
                batchSupport, batchLane);
    }

    /** As bench/ times it, over no-op ports: prompts only. */
    public static SubmitGeneration submitGeneration(IntakeConfig config, ModelCatalog catalog, JobStore jobs, JobQueue queue,
            JobMetrics metrics, Clock clock, BatchSupport batchSupport, BatchLaneSettings batchLane) {
        return submitGeneration(config, catalog, SubmissionInputs.none(), jobs, queue, metrics, clock, batchSupport, batchLane);
    }

    static SubmitGeneration submitGeneration(IntakeConfig config, ModelCatalog catalog, SubmissionInputs inputs, JobStore jobs,
            JobQueue queue, JobMetrics metrics, Clock clock, BatchSupport batchSupport, BatchLaneSettings batchLane) {
        var validator = new SubmissionValidator(catalog,
                new SubmissionRules(config.maxPromptLength(), config.maxImagesPerJob(), SubmissionRules.standard().maxMetadataEntries()));
        IntakeConfig.Callers callers = config.callers();
        var cap = new CallerCap(jobs, new CallerCap.Settings(callers.maxUnfinishedJobs(), callers.countEvery(), callers.retryAfter()));
        return new SubmitGeneration(validator, inputs, new CallbackUrlPolicy(config.callbacks().allowHttpToLoopback()),
                DeadlinePolicy.standard(), cap, jobs, queue, metrics, clock, batchLane.lanes(), batchSupport);
    }

    @Produces
    @ApplicationScoped
    UploadStore uploadStore(DynamoDbClient dynamoDb, SharedConfig shared) {
        return new DynamoDbUploadStore(dynamoDb, shared.jobsTable());
    }

    /** Upload forms signed with the credentials the S3 client uses: the intake role's, which may put objects under uploads/. */
    @Produces
    @ApplicationScoped
    CreateUpload createUpload(UploadStore uploads, S3Client s3, SharedConfig shared, IntakeConfig config, Clock clock) {
        IntakeConfig.Uploads settings = config.uploads();
        return new CreateUpload(uploads, S3PostPolicy.forClient(s3, shared.imagesBucket(), clock, settings.formUrl()),
                new CreateUpload.Settings(settings.maxBytes(), settings.formValidity(), Duration.ofDays(settings.retentionDays())), clock);
    }

    @Produces
    @ApplicationScoped
    CapacityPlanner capacityPlanner(AccountPool pool, QuotaLedger ledger, DynamoDbClient dynamoDb, PriceTable prices,
            SharedConfig shared, IntakeConfig config, Clock clock, BatchSupport batchSupport, BatchLaneSettings batchLane) {
        IntakeConfig.Capacity capacity = config.capacity();
        return new CapacityPlanner(pool, ledger, new DynamoDbRecentLatencies(dynamoDb, shared.jobsTable()), prices,
                new AwsCosts(AwsCosts.US_EAST_1, capacity.workerMemoryMb(), capacity.intakeMemoryMb(), capacity.imageRetentionDays()),
                clock, batchSupport, batchLane);
    }

    @Produces
    @ApplicationScoped
    ReadGeneration readGeneration(JobStore jobs, ImageStore images, BatchStore batches, IntakeConfig config) {
        return new ReadGeneration(jobs, images, config.imageUrlValidity(), batches);
    }

    /** The batch lane's own quota, for GET /v1/quota: read from the batch records the collector and poller write. */
    @Produces
    @ApplicationScoped
    BatchQuota batchQuota(BatchStore batches, BatchSupport batchSupport, BatchLaneSettings batchLane, Clock clock) {
        return new BatchQuota(batches, batchSupport, batchLane, clock);
    }

    @Produces
    @ApplicationScoped
    CancelGeneration cancelGeneration(JobStore jobs, ReadGeneration views, CompletionNotices notices, JobMetrics metrics, Clock clock) {
        return new CancelGeneration(jobs, views, notices, metrics, clock);
    }
}
