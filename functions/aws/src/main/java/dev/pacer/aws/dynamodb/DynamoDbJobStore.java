package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.JobStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.aws.dynamodb.JobItems.n;
import static dev.pacer.aws.dynamodb.JobItems.s;

/** Jobs in a DynamoDB table. Status changes are conditional updates, so two deliveries can never both claim. */
public final class DynamoDbJobStore implements JobStore {

    private static final Map<String, String> NAMES = Map.of(
            "#status", JobItems.STATUS,
            "#lease", JobItems.LEASE_UNTIL);

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Duration retention;

    public DynamoDbJobStore(DynamoDbClient dynamoDb, String tableName, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retention = retention;
    }

    @Override
    public void create(Job job) {
        dynamoDb.putItem(put -> put.tableName(tableName)
                .item(JobItems.toItem(job, job.createdAt().plus(retention)))
                .conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public Optional<Job> find(JobId id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName)
                .key(JobItems.key(id))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(JobItems.toJob(item));
    }

    @Override
    public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> attributes = dynamoDb.updateItem(update(id)
                    .updateExpression("SET #status = :running, #lease = :lease, startedAt = :now REMOVE waitingUntil ADD attempts :one")
                    .conditionExpression("#status = :queued OR #status = :waiting OR (#status = :running AND #lease < :nowMillis)")
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(
                            ":running", s(JobStatus.RUNNING.name()),
                            ":queued", s(JobStatus.QUEUED.name()),
                            ":waiting", s(JobStatus.WAITING_FOR_QUOTA.name()),
                            ":lease", n(leaseUntil.toEpochMilli()),
                            ":now", s(now.toString()),
                            ":nowMillis", n(now.toEpochMilli()),
                            ":one", n(1)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
            return Optional.of(JobItems.toJob(attributes));
        } catch (ConditionalCheckFailedException takenOrFinished) {
            return Optional.empty();
        }
    }

    @Override
    public void markSucceeded(JobId id, List<StoredImage> images, Instant now) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET #status = :succeeded, images = :images, finishedAt = :now REMOVE #lease, errorType, errorMessage")
                .conditionExpression("#status = :running")
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":succeeded", s(JobStatus.SUCCEEDED.name()),
                        ":running", s(JobStatus.RUNNING.name()),
                        ":images", JobItems.images(images),
                        ":now", s(now.toString())))
                .build());
    }

    @Override
    public void markFailed(JobId id, JobError error, Instant now) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET #status = :failed, errorType = :type, errorMessage = :message, finishedAt = :now REMOVE #lease")
                .conditionExpression("attribute_exists(id) AND #status <> :succeeded AND #status <> :failed")
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":failed", s(JobStatus.FAILED.name()),
                        ":succeeded", s(JobStatus.SUCCEEDED.name()),
                        ":type", s(error.type()),
                        ":message", s(error.message()),
                        ":now", s(now.toString())))
                .build());
    }

    @Override
    public void release(JobId id, JobError lastError, Instant now) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET #status = :queued, errorType = :type, errorMessage = :message REMOVE #lease")
                .conditionExpression("#status = :running")
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":queued", s(JobStatus.QUEUED.name()),
                        ":running", s(JobStatus.RUNNING.name()),
                        ":type", s(lastError.type()),
                        ":message", s(lastError.message())))
                .build());
    }

    @Override
    public void waitForQuota(JobId id, Instant until, Instant now) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET #status = :waiting, waitingUntil = :until REMOVE #lease ADD attempts :minusOne")
                .conditionExpression("#status = :running")
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":waiting", s(JobStatus.WAITING_FOR_QUOTA.name()),
                        ":running", s(JobStatus.RUNNING.name()),
                        ":until", s(until.toString()),
                        ":minusOne", n(-1)))
                .build());
    }

    @Override
    public void assignAccount(JobId id, String account) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET account = :account")
                .conditionExpression("#status = :running")
                .expressionAttributeNames(Map.of("#status", JobItems.STATUS))
                .expressionAttributeValues(Map.of(
                        ":account", s(account),
                        ":running", s(JobStatus.RUNNING.name())))
                .build());
    }

    private UpdateItemRequest.Builder update(JobId id) {
        return UpdateItemRequest.builder().tableName(tableName).key(JobItems.key(id));
    }
}
