package dev.pacer.bench.bare;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes an SQS batch as the worker does and reports every message done. By default it does not look at it (the bare
 * baseline); with {@code BARE_SAME_CALLS=true} it first makes, per message and naively, the calls a job makes on the
 * worker's happy path: claim (UpdateItem), quota reservation (PutItem), the image (PutObject of
 * {@code BARE_IMAGE_BYTES}), the outcome (UpdateItem).
 */
@Named("acknowledge")
public class AcknowledgeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    Instance<DynamoDbClient> dynamoDb;

    @Inject
    Instance<S3Client> s3;

    @ConfigProperty(name = "bare.same-calls", defaultValue = "false")
    boolean sameCalls;

    @ConfigProperty(name = "bare.image-bytes", defaultValue = "65536")
    int imageBytes;

    @ConfigProperty(name = "pacer.jobs-table")
    Optional<String> jobsTable;

    @ConfigProperty(name = "pacer.quota-table")
    Optional<String> quotaTable;

    @ConfigProperty(name = "pacer.images-bucket")
    Optional<String> imagesBucket;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (sameCalls) {
            event.getRecords().forEach(message -> callsOfAJob("bare-" + message.getMessageId()));
        }
        return new SQSBatchResponse(List.of());
    }

    private void callsOfAJob(String id) {
        DynamoDbClient db = dynamoDb.get();
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS(id));
        db.updateItem(claim -> claim.tableName(jobsTable.orElseThrow()).key(key)
                .updateExpression("SET #s = :running").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("RUNNING"))));
        db.putItem(reserve -> reserve.tableName(quotaTable.orElseThrow()).item(Map.of(
                "pk", AttributeValue.fromS("bare#" + id), "sk", AttributeValue.fromS("minute"),
                "requests", AttributeValue.fromN("1"))));
        s3.get().putObject(put -> put.bucket(imagesBucket.orElseThrow()).key("generations/" + id + "/0.png").contentType("image/png"),
                RequestBody.fromBytes(new byte[imageBytes]));
        db.updateItem(done -> done.tableName(jobsTable.orElseThrow()).key(key)
                .updateExpression("SET #s = :succeeded").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":succeeded", AttributeValue.fromS("SUCCEEDED"))));
    }
}
