package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.RequestFingerprint;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobStatus;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
    public IdempotentCreation createIdempotently(Job job, IdempotencyKey key, String requestFingerprint, Instant keyExpiresAt) {
        // The key lives in the jobs table as an item of its own; job ids are UUIDs, so the prefix cannot collide.
        Map<String, AttributeValue> keyItem = Map.of(
                JobItems.ID, s(idempotencyItemId(job.owner(), key)),
                "jobId", s(job.id().value()),
                "requestFingerprint", s(requestFingerprint),
                JobItems.EXPIRES_AT, n(keyExpiresAt.getEpochSecond()));
        try {
            dynamoDb.transactWriteItems(write -> write.transactItems(
                    TransactWriteItem.builder().put(put -> put.tableName(tableName)
                            .item(JobItems.toItem(job, job.createdAt().plus(retention)))
                            .conditionExpression("attribute_not_exists(id)")).build(),
                    TransactWriteItem.builder().put(put -> put.tableName(tableName)
                            .item(keyItem)
                            .conditionExpression("attribute_not_exists(id)")).build()));
            return new IdempotentCreation.Created();
        } catch (TransactionCanceledException keyTaken) {
            Map<String, AttributeValue> existing = dynamoDb.getItem(get -> get.tableName(tableName)
                    .key(Map.of(JobItems.ID, keyItem.get(JobItems.ID)))
                    .consistentRead(true)).item();
            if (existing == null || existing.isEmpty()) {
                throw keyTaken; // cancelled for another reason than the key
            }
            JobId existingJob = new JobId(existing.get("jobId").s());
            return requestFingerprint.equals(existing.get("requestFingerprint").s())
                    ? new IdempotentCreation.AlreadySubmitted(existingJob)
                    : new IdempotentCreation.KeyReused(existingJob);
        }
    }

    /** Hashed, since an owner (an IAM ARN) and a key together may exceed DynamoDB's 2 KB partition key. */
    static String idempotencyItemId(String owner, IdempotencyKey key) {
        return "idempotency#" + RequestFingerprint.sha256(owner + "\u0000" + key.value());
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
    public void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":succeeded", s(JobStatus.SUCCEEDED.name()),
                ":running", s(JobStatus.RUNNING.name()),
                ":images", JobItems.images(images),
                ":now", s(now.toString())));
        // The error of an earlier attempt goes; the reason images are missing, if any are, takes its place.
        shortfall.ifPresent(why -> {
            values.put(":type", s(why.type()));
            values.put(":message", s(why.message()));
        });
        // succeededAt puts the job in the recentSuccesses index (measured latency for GET /v1/capacity)
        endAttempt(id, "#status = :succeeded, images = :images, finishedAt = :now, succeededAt = :now"
                        + (shortfall.isPresent() ? ", errorType = :type, errorMessage = :message" : ""),
                shortfall.isPresent() ? " REMOVE #lease" : " REMOVE #lease, errorType, errorMessage",
                "#status = :running", calls, values);
    }

    @Override
    public void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
        endAttempt(id, "#status = :failed, errorType = :type, errorMessage = :message, finishedAt = :now", " REMOVE #lease",
                "attribute_exists(id) AND #status <> :succeeded AND #status <> :failed", calls, new HashMap<>(Map.of(
                        ":failed", s(JobStatus.FAILED.name()),
                        ":succeeded", s(JobStatus.SUCCEEDED.name()),
                        ":type", s(error.type()),
                        ":message", s(error.message()),
                        ":now", s(now.toString()))));
    }

    @Override
    public void release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        endAttempt(id, "#status = :queued, errorType = :type, errorMessage = :message", " REMOVE #lease",
                "#status = :running", calls, new HashMap<>(Map.of(
                        ":queued", s(JobStatus.QUEUED.name()),
                        ":running", s(JobStatus.RUNNING.name()),
                        ":type", s(lastError.type()),
                        ":message", s(lastError.message()))));
    }

    @Override
    public void waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
        endAttempt(id, "#status = :waiting, waitingUntil = :until", " REMOVE #lease ADD attempts :minusOne",
                "#status = :running", calls, new HashMap<>(Map.of(
                        ":waiting", s(JobStatus.WAITING_FOR_QUOTA.name()),
                        ":running", s(JobStatus.RUNNING.name()),
                        ":until", s(until.toString()),
                        ":minusOne", n(-1))));
    }

    @Override
    public void recordCallback(JobId id, Callback callback) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET #callback = :callback")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeNames(Map.of("#callback", JobItems.CALLBACK))
                .expressionAttributeValues(Map.of(":callback", JobItems.callback(callback)))
                .build());
    }

    /**
     * The one conditional write that ends an attempt: {@code SET set}, then the attempt's {@code calls} appended to
     * the log with the last one's account, then {@code rest} (REMOVE/ADD clauses), if {@code condition} holds.
     */
    private void endAttempt(JobId id, String set, String rest, String condition, List<Attempt> calls,
            Map<String, AttributeValue> values) {
        dynamoDb.updateItem(update(id)
                .updateExpression("SET " + set + logging(calls, values) + rest)
                .conditionExpression(condition)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(values)
                .build());
    }

    /**
     * The SET clauses that append {@code calls} to the attempt log and record the last one's account, in the same
     * write as the status change; adds their values to {@code values}. Empty when there are no calls.
     */
    private static String logging(List<Attempt> calls, Map<String, AttributeValue> values) {
        if (calls.isEmpty()) {
            return "";
        }
        values.put(":emptyLog", AttributeValue.fromL(List.of()));
        values.put(":calls", AttributeValue.fromL(calls.stream().map(JobItems::attempt).toList()));
        values.put(":account", s(calls.get(calls.size() - 1).account()));
        return ", " + JobItems.ATTEMPT_LOG + " = list_append(if_not_exists(" + JobItems.ATTEMPT_LOG + ", :emptyLog), :calls), "
                + JobItems.ACCOUNT + " = :account";
    }

    private UpdateItemRequest.Builder update(JobId id) {
        return UpdateItemRequest.builder().tableName(tableName).key(JobItems.key(id));
    }
}
