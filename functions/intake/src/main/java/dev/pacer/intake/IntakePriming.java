package dev.pacer.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.aws.priming.SdkPriming;
import dev.pacer.runtime.StartupPriming;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The intake's start-up priming: a submission's adapter calls, then its real clients built (they are built on first
 * use: TLS context, region, interceptors), a submission's JSON read and its answer written through RESTEasy's mapper.
 */
@ApplicationScoped
class IntakePriming implements StartupPriming {

    private static final byte[] SUBMISSION = "{\"prompt\":\"a lighthouse at dawn\",\"resolution\":\"1K\",\"count\":1}"
            .getBytes(StandardCharsets.UTF_8);

    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final SubmissionBodies bodies;
    private final ObjectMapper json;

    IntakePriming(DynamoDbClient dynamoDb, SqsClient sqs, SubmissionBodies bodies, ObjectMapper json) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.bodies = bodies;
        this.json = json;
    }

    @Override
    public List<SdkPriming.Call> calls() {
        return SdkPriming.SUBMISSION;
    }

    @Override
    public void warmUp() throws Exception {
        dynamoDb.serviceClientConfiguration();
        sqs.serviceClientConfiguration();
        bodies.parse(SUBMISSION);
        json.writeValueAsBytes(new GenerationsResource.Accepted("priming", "QUEUED", "sync", Map.of("self", "/v1/generations/priming")));
    }
}
