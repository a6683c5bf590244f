package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Callback;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.RequestFingerprint;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.JobTransition;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobStore;
import dev.pacer.core.port.Requeue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.aws.dynamodb.JobItems.n;
import static dev.pacer.aws.dynamodb.JobItems.s;

/**
 * Jobs in a DynamoDB table. Each status change is one conditional UpdateItem whose condition is the
 * {@link JobTransition}'s ({@link JobUpdate}), so two deliveries can never both claim.
 */
public final class DynamoDbJobStore implements JobStore {

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

    /** A COUNT Query of the sparse index: only unfinished jobs carry its key; pages until {@code atMost} or the end. */
    @Override
    public long unfinished(String owner, long atMost) {
        long count = 0;
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(1, atMost - count));
            QueryResponse page = dynamoDb.query(query -> query.tableName(tableName)
                    .indexName(JobItems.UNFINISHED_BY_OWNER_INDEX)
                    .keyConditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", JobItems.UNFINISHED_OWNER))
                    .expressionAttributeValues(Map.of(":owner", s(JobItems.unfinishedOwner(owner))))
                    .select(Select.COUNT)
                    .limit(limit)
                    .exclusiveStartKey(start));
            count += page.count();
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && count < atMost);
        return Math.min(count, atMost);
    }

    @Override
    public Optional<Job> claim(JobId id, Instant now, Instant leaseUntil) {
        JobUpdate claim = JobUpdate.taking(now, JobTransition.CLAIM, JobTransition.TAKE_OVER)
                .set(JobItems.LEASE_UNTIL, n(leaseUntil.toEpochMilli()))
                .set(JobItems.STARTED_AT, s(now.toString()))
                .remove(JobItems.WAITING_UNTIL)
                .add(JobItems.ATTEMPTS, 1);
        try {
            return Optional.of(JobItems.toJob(dynamoDb.updateItem(claim.request(tableName, JobItems.key(id))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes()));
        } catch (ConditionalCheckFailedException takenOrFinished) {
            return Optional.empty();
        }
    }

    @Override
    public void markSucceeded(JobId id, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls, Instant now) {
        JobUpdate succeed = JobUpdate.taking(JobTransition.SUCCEED)
                .set(JobItems.IMAGES, JobItems.images(images))
                .set(JobItems.FINISHED_AT, s(now.toString()))
                // puts the job in the recentSuccesses index (measured latency for GET /v1/capacity)
                .set(JobItems.SUCCEEDED_AT, s(now.toString()));
        // The error of an earlier attempt goes; the reason images are missing, if any are, takes its place.
        shortfall.ifPresentOrElse(
                why -> succeed.set(JobItems.ERROR_TYPE, s(why.type())).set(JobItems.ERROR_MESSAGE, s(why.message())),
                () -> succeed.remove(JobItems.ERROR_TYPE, JobItems.ERROR_MESSAGE));
        endAttempt(id, succeed, calls);
    }

    @Override
    public void markFailed(JobId id, JobError error, List<Attempt> calls, Instant now) {
        endAttempt(id, JobUpdate.taking(JobTransition.FAIL)
                .set(JobItems.ERROR_TYPE, s(error.type()))
                .set(JobItems.ERROR_MESSAGE, s(error.message()))
                .set(JobItems.FINISHED_AT, s(now.toString()))
                // a batch-lane job that fails while it waits (its message was refused) waits no more
                .remove(JobItems.BATCH_WAITING), calls);
    }

    @Override
    public Requeue release(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        return requeue(id, JobUpdate.taking(JobTransition.RELEASE)
                .set(JobItems.ERROR_TYPE, s(lastError.type()))
                .set(JobItems.ERROR_MESSAGE, s(lastError.message())), calls, now);
    }

    @Override
    public Requeue giveBack(JobId id, JobError lastError, List<Attempt> calls, Instant now) {
        return requeue(id, JobUpdate.taking(JobTransition.RELEASE)
                .set(JobItems.ERROR_TYPE, s(lastError.type()))
                .set(JobItems.ERROR_MESSAGE, s(lastError.message()))
                // nothing was sent: the attempt is given back, so the next claim does not log it as lost
                .add(JobItems.ATTEMPTS, -1), calls, now);
    }

    @Override
    public Requeue waitForQuota(JobId id, Instant until, List<Attempt> calls, Instant now) {
        return requeue(id, JobUpdate.taking(JobTransition.WAIT_FOR_QUOTA)
                .set(JobItems.WAITING_UNTIL, s(until.toString()))
                // waiting is not a failure: the attempt is given back
                .add(JobItems.ATTEMPTS, -1)
                // counted, not logged: a job may wait thousands of times, and its item holds at most 400 KB
                .add(JobItems.QUOTA_WAITS, 1)
                .setIfAbsent(JobItems.FIRST_QUOTA_WAIT_AT, s(now.toString()))
                .set(JobItems.LAST_QUOTA_WAIT_AT, s(now.toString())), calls, now);
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant now) {
        return updated(id, JobUpdate.taking(JobTransition.CANCEL)
                .set(JobItems.FINISHED_AT, s(now.toString()))
                .remove(JobItems.ERROR_TYPE, JobItems.ERROR_MESSAGE, JobItems.LEASE_UNTIL, JobItems.WAITING_UNTIL, JobItems.BATCH_WAITING));
    }

    @Override
    public Optional<Job> requestCancel(JobId id, Instant now) {
        return updated(id, JobUpdate.taking(JobTransition.REQUEST_CANCEL).setIfAbsent(JobItems.CANCEL_REQUESTED_AT, s(now.toString())));
    }

    @Override
    public void cancelInsteadOfRetry(JobId id, List<Attempt> calls, Instant now) {
        endAttempt(id, JobUpdate.taking(JobTransition.CANCEL_INSTEAD_OF_RETRY)
                .set(JobItems.FINISHED_AT, s(now.toString()))
                .remove(JobItems.ERROR_TYPE, JobItems.ERROR_MESSAGE), calls);
    }

    @Override
    public void recordCallback(JobId id, Callback callback) {
        dynamoDb.updateItem(JobUpdate.taking(JobTransition.RECORD_CALLBACK)
                .set(JobItems.CALLBACK, JobItems.callback(callback))
                .request(tableName, JobItems.key(id))
                .build());
    }

    /**
     * The one conditional write that ends an attempt: {@code update}, the lease removed, and the attempt's
     * {@code calls} appended to the log with the last one's account as the job's.
     */
    private void endAttempt(JobId id, JobUpdate update, List<Attempt> calls) {
        dynamoDb.updateItem(withCalls(update, calls).request(tableName, JobItems.key(id)).build());
    }

    /**
     * {@link #endAttempt} for a move that tries the job again. When it is refused, the item as it was says whether
     * that is because its owner asked to cancel it, at no extra read.
     */
    private Requeue requeue(JobId id, JobUpdate update, List<Attempt> calls, Instant now) {
        try {
            dynamoDb.updateItem(withCalls(update, calls).request(tableName, JobItems.key(id))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return Requeue.REQUEUED;
        } catch (ConditionalCheckFailedException refused) {
            if (refused.hasItem() && JobTransition.CANCEL_INSTEAD_OF_RETRY.allows(JobItems.toJob(refused.item()), now)) {
                return Requeue.CANCEL_REQUESTED;
            }
            throw refused;
        }
    }

    private static JobUpdate withCalls(JobUpdate update, List<Attempt> calls) {
        update.remove(JobItems.LEASE_UNTIL);
        if (!calls.isEmpty()) {
            update.append(JobItems.ATTEMPT_LOG, calls.stream().map(JobItems::attempt).toList())
                    .set(JobItems.ACCOUNT, s(calls.get(calls.size() - 1).account()));
        }
        return update;
    }

    /** A write the caller expects to be refused now and then: the job as it is after it, or empty when it was refused. */
    private Optional<Job> updated(JobId id, JobUpdate update) {
        try {
            return Optional.of(JobItems.toJob(dynamoDb.updateItem(update.request(tableName, JobItems.key(id))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes()));
        } catch (ConditionalCheckFailedException refused) {
            return Optional.empty();
        }
    }

    /** A Query of the sparse batchWaiting index (only jobs waiting on the batch lane carry its key), oldest first. */
    @Override
    public List<Job> waitingForBatch(String model, int limit) {
        return waitingUnder(model, limit);
    }

    /** Up to {@code limit} items under {@code key} in the batchWaiting index, oldest first. */
    private List<Job> waitingUnder(String key, int limit) {
        List<Job> waiting = new java.util.ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            QueryResponse page = dynamoDb.query(query -> query.tableName(tableName)
                    .indexName(JobItems.BATCH_WAITING_INDEX)
                    .keyConditionExpression("#model = :model")
                    .expressionAttributeNames(Map.of("#model", JobItems.BATCH_WAITING))
                    .expressionAttributeValues(Map.of(":model", s(key)))
                    .scanIndexForward(true)
                    .limit(limit - waiting.size())
                    .exclusiveStartKey(start));
            page.items().stream().map(JobItems::toJob).forEach(waiting::add);
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null && waiting.size() < limit);
        return waiting;
    }

    @Override
    public Optional<Job> batch(JobId id, String batchId, Instant now) {
        return updated(id, JobUpdate.taking(JobTransition.BATCH)
                .set(JobItems.BATCH_ID, s(batchId))
                .set(JobItems.STARTED_AT, s(now.toString()))
                .remove(JobItems.BATCH_WAITING)
                .add(JobItems.ATTEMPTS, 1));
    }

    @Override
    public boolean succeedBatched(JobId id, String batchId, List<StoredImage> images, Optional<JobError> shortfall, List<Attempt> calls,
            Instant now) {
        JobUpdate succeed = JobUpdate.taking(JobTransition.SUCCEED_BATCHED)
                .requiring(JobItems.BATCH_ID, s(batchId))
                .set(JobItems.IMAGES, JobItems.images(images))
                .set(JobItems.FINISHED_AT, s(now.toString()))
                .set(JobItems.SUCCEEDED_AT, s(now.toString()));
        shortfall.ifPresentOrElse(
                why -> succeed.set(JobItems.ERROR_TYPE, s(why.type())).set(JobItems.ERROR_MESSAGE, s(why.message())),
                () -> succeed.remove(JobItems.ERROR_TYPE, JobItems.ERROR_MESSAGE));
        return taken(id, withCalls(succeed, calls));
    }

    @Override
    public boolean failBatched(JobId id, String batchId, JobError error, List<Attempt> calls, Instant now) {
        return taken(id, withCalls(JobUpdate.taking(JobTransition.FAIL_BATCHED)
                .requiring(JobItems.BATCH_ID, s(batchId))
                .set(JobItems.ERROR_TYPE, s(error.type()))
                .set(JobItems.ERROR_MESSAGE, s(error.message()))
                .set(JobItems.FINISHED_AT, s(now.toString())), calls));
    }

    @Override
    public boolean unbatch(JobId id, String batchId, LaneChoice lane, JobError why, List<Attempt> calls, Instant now) {
        Job job = find(id).orElse(null);
        if (job == null) {
            return false;
        }
        JobUpdate unbatch = JobUpdate.taking(JobTransition.UNBATCH)
                .requiring(JobItems.BATCH_ID, s(batchId))
                .set(JobItems.LANE, s(lane.lane().name()))
                .set(JobItems.LANE_REASON, s(lane.reason()))
                .set(JobItems.ERROR_TYPE, s(why.type()))
                .set(JobItems.ERROR_MESSAGE, s(why.message()));
        if (lane.lane() == Lane.BATCH) {
            unbatch.set(JobItems.BATCH_WAITING, s(job.request().model())); // waits for the next batch
        }
        return taken(id, withCalls(unbatch, calls));
    }

    /**
     * One conditional UpdateItem: QUEUED on the batch lane ({@link JobTransition#MOVE_TO_SYNC_LANE}'s condition, so a
     * collector's {@link #batch} and this move never both win) becomes the sync lane, and the job leaves the
     * batchWaiting index's model key for its {@link JobItems#MOVED_TO_SYNC_LANE} one until its message is sent.
     */
    @Override
    public boolean moveToSyncLane(JobId id, String reason, Instant now) {
        Job job = find(id).orElse(null);
        if (job == null) {
            return false;
        }
        return taken(id, JobUpdate.taking(JobTransition.MOVE_TO_SYNC_LANE)
                .set(JobItems.LANE, s(Lane.SYNC.name()))
                .set(JobItems.LANE_REASON, s(reason))
                .set(JobItems.BATCH_WAITING, s(JobItems.MOVED_TO_SYNC_LANE + job.request().model())));
    }

    @Override
    public List<Job> movedToSyncLane(String model, int limit) {
        return waitingUnder(JobItems.MOVED_TO_SYNC_LANE + model, limit);
    }

    /**
     * Whatever the job's status now (a worker may have claimed it already), its message went: the key is removed where it
     * is still the moved one's; a job that is not there, or not listed so, is left as it is.
     */
    @Override
    public void sentToSyncQueue(JobId id) {
        try {
            dynamoDb.updateItem(update -> update.tableName(tableName)
                    .key(JobItems.key(id))
                    .updateExpression("REMOVE #waiting")
                    .conditionExpression("begins_with(#waiting, :moved)")
                    .expressionAttributeNames(Map.of("#waiting", JobItems.BATCH_WAITING))
                    .expressionAttributeValues(Map.of(":moved", s(JobItems.MOVED_TO_SYNC_LANE))));
        } catch (ConditionalCheckFailedException notListed) {
            // sent before, or never moved: nothing to do
        }
    }

    /** A conditional write whose refusal is an answer: whether it was taken. */
    private boolean taken(JobId id, JobUpdate update) {
        try {
            dynamoDb.updateItem(update.request(tableName, JobItems.key(id)).build());
            return true;
        } catch (ConditionalCheckFailedException refused) {
            return false;
        }
    }
}
