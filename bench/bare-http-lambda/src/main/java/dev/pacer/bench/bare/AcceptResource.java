package dev.pacer.bench.bare;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers POST /v1/generations as the intake does, 202 with a JSON body. By default it stores and sends nothing (the
 * bare baseline); with {@code BARE_SAME_CALLS=true} it makes the intake's two mandatory calls first, naively (the job
 * into the jobs table, a PutItem or, with an Idempotency-Key, a TransactWriteItems with the key as the intake does;
 * a SendMessage to {@code BARE_QUEUE_URL}), so a benchmark can tell the cost of those calls from pacer's own code.
 */
@Path("/v1/generations")
public class AcceptResource {

    @Inject
    Instance<DynamoDbClient> dynamoDb;

    @Inject
    Instance<SqsClient> sqs;

    @ConfigProperty(name = "bare.same-calls", defaultValue = "false")
    boolean sameCalls;

    @ConfigProperty(name = "pacer.jobs-table")
    Optional<String> jobsTable;

    @ConfigProperty(name = "bare.queue-url")
    Optional<String> queueUrl;

    @POST
    public Response accept(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String id = UUID.randomUUID().toString();
        if (sameCalls) {
            Map<String, AttributeValue> job = Map.of(
                    "id", AttributeValue.fromS(id),
                    "status", AttributeValue.fromS("QUEUED"),
                    "request", AttributeValue.fromS(new String(body, StandardCharsets.UTF_8)));
            if (idempotencyKey == null) {
                dynamoDb.get().putItem(put -> put.tableName(jobsTable.orElseThrow()).item(job).conditionExpression("attribute_not_exists(id)"));
            } else { // as the intake: the job and its key in one transaction
                dynamoDb.get().transactWriteItems(write -> write.transactItems(
                        TransactWriteItem.builder().put(put -> put.tableName(jobsTable.orElseThrow()).item(job)
                                .conditionExpression("attribute_not_exists(id)")).build(),
                        TransactWriteItem.builder().put(put -> put.tableName(jobsTable.orElseThrow())
                                .item(Map.of("id", AttributeValue.fromS("idempotency#" + idempotencyKey + "#" + id), "jobId", AttributeValue.fromS(id)))
                                .conditionExpression("attribute_not_exists(id)")).build()));
            }
            sqs.get().sendMessage(send -> send.queueUrl(queueUrl.orElseThrow()).messageBody("{\"id\":\"" + id + "\"}"));
        }
        return Response.accepted(Map.of("id", id, "status", "QUEUED", "bytes", body.length)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
