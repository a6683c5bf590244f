package dev.pacer.worker;

import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.aws.s3.S3ImageStore;
import dev.pacer.core.port.JobStore;
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
    ProcessGeneration processGeneration(JobStore jobs, S3Client s3, S3Presigner presigner, WorkerConfig config, Clock clock) {
        return new ProcessGeneration(
                jobs,
                new SimulatedImageProvider(config.simulated().latencyFactor(), config.simulated().maxLongSide()),
                new S3ImageStore(s3, presigner, config.imagesBucket()),
                new RetryPolicy(config.maxAttempts(), config.attemptLease()),
                clock);
    }
}
