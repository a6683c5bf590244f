package dev.pacer.aws.dynamodb;

import dev.pacer.core.port.UploadStore;
import dev.pacer.core.upload.Upload;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.aws.dynamodb.JobItems.n;
import static dev.pacer.aws.dynamodb.JobItems.s;

/**
 * Upload records as items of their own in the jobs table, as idempotency keys are: id {@code upload#<id>} (job ids
 * are UUIDs, so the prefix cannot collide), removed by the table's TTL on {@code expiresAt}. No new table: the intake
 * already may put and get items there and nothing else, and the stream's pipes only pass job status changes.
 */
public final class DynamoDbUploadStore implements UploadStore {

    static final String PREFIX = "upload#";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbUploadStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public void create(Upload upload) {
        dynamoDb.putItem(put -> put.tableName(tableName)
                .item(Map.of(
                        JobItems.ID, s(PREFIX + upload.id()),
                        JobItems.OWNER, s(upload.owner()),
                        "key", s(upload.key()),
                        "contentType", s(upload.contentType()),
                        "declaredBytes", n(upload.declaredBytes()),
                        JobItems.CREATED_AT, s(upload.createdAt().toString()),
                        JobItems.EXPIRES_AT, n(upload.expiresAt().getEpochSecond())))
                .conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public Optional<Upload> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName)
                .key(Map.of(JobItems.ID, s(PREFIX + id)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Upload upload = new Upload(id, item.get(JobItems.OWNER).s(), item.get("key").s(), item.get("contentType").s(),
                Long.parseLong(item.get("declaredBytes").n()), Instant.parse(item.get(JobItems.CREATED_AT).s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(JobItems.EXPIRES_AT).n())));
        // TTL removes an item within days of its time, not at it
        return Optional.of(upload);
    }
}
