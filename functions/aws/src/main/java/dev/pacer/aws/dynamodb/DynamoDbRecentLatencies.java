package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.RecentLatencies;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recent successes from the jobs table's sparse {@code recentSuccesses} index (model#resolution, newest
 * {@code succeededAt} first): how long each kept its worker, from the claim that succeeded to SUCCEEDED.
 */
public final class DynamoDbRecentLatencies implements RecentLatencies {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbRecentLatencies(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public List<Duration> recentSuccesses(String model, Resolution resolution, int limit) {
        return dynamoDb.query(q -> q.tableName(tableName)
                        .indexName(JobItems.RECENT_SUCCESSES_INDEX)
                        .keyConditionExpression("#key = :key")
                        .expressionAttributeNames(Map.of("#key", JobItems.MODEL_RESOLUTION))
                        .expressionAttributeValues(Map.of(":key", JobItems.s(JobItems.modelResolution(model, resolution))))
                        .scanIndexForward(false)
                        .limit(limit))
                .items().stream()
                .flatMap(item -> workTime(item).stream())
                .toList();
    }

    private static Optional<Duration> workTime(Map<String, AttributeValue> item) {
        AttributeValue started = item.get(JobItems.STARTED_AT);
        if (started == null) {
            return Optional.empty();
        }
        Duration work = Duration.between(Instant.parse(started.s()), Instant.parse(item.get(JobItems.SUCCEEDED_AT).s()));
        return work.isNegative() ? Optional.empty() : Optional.of(work);
    }
}
