package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.core.usecase.PriceTable;
import dev.pacer.core.usecase.ProcessGeneration;
import dev.pacer.core.usecase.RetryPolicy;
import dev.pacer.providers.simulated.SimulatedImageProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Clock;
import java.time.Duration;

/** The one place where the worker's use case meets its adapters. */
@ApplicationScoped
public class WorkerWiring {

    @Produces
    @ApplicationScoped
    ProcessGeneration processGeneration(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, WorkerConfig config) {
        return new ProcessGeneration(
                new DynamoDbJobStore(dynamoDb, config.jobsTable(), Duration.ofDays(config.jobRetentionDays())),
                request -> SimulatedImageProvider.ACCOUNT,
                new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide()),
                new S3ImageStore(s3, presigner, config.imagesBucket()),
                new RetryPolicy(config.maxAttempts(), config.attemptLease(), config.ambiguousRetries()),
                PriceTable.parse(config.prices()),
                Clock.systemUTC());
    }
}
