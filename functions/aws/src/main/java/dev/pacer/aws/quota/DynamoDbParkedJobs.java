package dev.pacer.aws.quota;

import dev.pacer.core.job.JobId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Jobs waiting longer than SQS can delay a message (an exhausted RPD waits for the provider day to turn): kept in
 * the quota table under {@code pk = parked}, {@code sk = <release time>#<job id>} so that the scheduled release finds
 * the due ones with one Query in time order, instead of the jobs spinning through the queue every 15 minutes.
 */
public final class DynamoDbParkedJobs {

    private static final String PARTITION = "parked";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbParkedJobs(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    public record Parked(JobId id, Instant releaseAt, String sortKey) {
    }

    public void park(JobId id, Instant releaseAt) {
        dynamoDb.putItem(put -> put.tableName(tableName).item(Map.of(
                "pk", AttributeValue.fromS(PARTITION),
                "sk", AttributeValue.fromS(sortKey(id, releaseAt)),
                "jobId", AttributeValue.fromS(id.value()),
                "releaseAt", AttributeValue.fromS(releaseAt.toString()),
                // a safety net only: the release deletes the item; TTL removes it if a job was never released
                "expiresAt", AttributeValue.fromN(Long.toString(releaseAt.plus(Duration.ofDays(14)).getEpochSecond())))));
    }

    /** Parked jobs due by {@code until}, earliest first. */
    public List<Parked> dueBy(Instant until, int limit) {
        return dynamoDb.query(query -> query.tableName(tableName)
                        .keyConditionExpression("pk = :parked AND sk <= :until")
                        .expressionAttributeValues(Map.of(
                                ":parked", AttributeValue.fromS(PARTITION),
                                ":until", AttributeValue.fromS(timeKey(until) + "#~")))
                        .consistentRead(true)
                        .limit(limit))
                .items().stream()
                .map(item -> new Parked(new JobId(item.get("jobId").s()), Instant.parse(item.get("releaseAt").s()), item.get("sk").s()))
                .toList();
    }

    public void remove(Parked parked) {
        dynamoDb.deleteItem(delete -> delete.tableName(tableName)
                .key(Map.of("pk", AttributeValue.fromS(PARTITION), "sk", AttributeValue.fromS(parked.sortKey()))));
    }

    private static String sortKey(JobId id, Instant releaseAt) {
        return timeKey(releaseAt) + "#" + id.value();
    }

    /** Fixed-width epoch milliseconds, so that string order is time order. */
    private static String timeKey(Instant instant) {
        return String.format("%015d", instant.toEpochMilli());
    }
}
