package dev.pacer.worker;

import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.runtime.StartupPriming;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;

/** The worker's start-up priming: a job's adapter calls, then its real clients built (they are built on first use). */
@ApplicationScoped
class WorkerPriming implements StartupPriming {

    private final String handler;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;

    WorkerPriming(@ConfigProperty(name = "quarkus.lambda.handler") String handler, DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        this.handler = handler;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
    }

    /**
     * Only the job handler is on a latency path (and published with SnapStart); the same package's other handlers
     * (dead letters, parked jobs, callbacks) make other calls and would only pay for these.
     */
    @Override
    public boolean applies() {
        return GenerateImagesHandler.NAME.equals(handler);
    }

    @Override
    public List<SdkPriming.Call> calls() {
        return SdkPriming.JOB_DELIVERY;
    }

    @Override
    public void warmUp() {
        dynamoDb.serviceClientConfiguration();
        sqs.serviceClientConfiguration();
        s3.serviceClientConfiguration();
    }
}
