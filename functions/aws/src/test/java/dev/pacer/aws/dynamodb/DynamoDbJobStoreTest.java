package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.job.IdempotencyKey;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.port.IdempotentCreation;
import dev.pacer.core.port.JobStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB job store on moto: the {@link JobStoreContract}, and how the store lays the job out in its item
 * (retention, the lease in epoch milliseconds, the idempotency key as an item of its own, the recent-successes index).
 */
class DynamoDbJobStoreTest extends JobStoreContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Override
    protected DynamoDbJobStore newStore() {
        return new DynamoDbJobStore(moto.clients().dynamoDb(), table(), Duration.ofDays(30));
    }

    @Override
    protected Class<? extends RuntimeException> refusal() {
        return ConditionalCheckFailedException.class;
    }

    @Test
    void aNewJobsItemExpiresAfterTheRetention() {
        Job job = newJob();

        newStore().create(job);

        assertEquals(Long.toString(T0.plus(Duration.ofDays(30)).getEpochSecond()), item(job.id().value()).get("expiresAt").n(),
                "TTL attribute");
    }

    @Test
    void theLeaseIsKeptInEpochMillisecondsAndTheWaitWhileTheJobWaits() {
        DynamoDbJobStore store = newStore();
        Job job = newJob();
        store.create(job);

        store.claim(job.id(), T0, T0.plusMillis(60_123)).orElseThrow();
        assertEquals(AttributeValue.fromN(Long.toString(T0.plusMillis(60_123).toEpochMilli())), item(job.id().value()).get("leaseUntil"));

        store.waitForQuota(job.id(), T0.plusSeconds(40), List.of(), T0.plusSeconds(1));
        Map<String, AttributeValue> waiting = item(job.id().value());
        assertEquals(AttributeValue.fromS(T0.plusSeconds(40).toString()), waiting.get("waitingUntil"));
        assertFalse(waiting.containsKey("leaseUntil"), "waiting holds no lease");

        store.claim(job.id(), T0.plusSeconds(41), T0.plusSeconds(101)).orElseThrow();
        assertFalse(item(job.id().value()).containsKey("waitingUntil"), "a claimed job waits no more");
    }

    @Test
    void anIdempotencyKeyIsAnItemOfItsOwnNamedByAHashSoThatALongOwnerFitsThePartitionKey() {
        DynamoDbJobStore store = newStore();
        String longOwner = "arn:aws:sts::123456789012:assumed-role/" + "r".repeat(1500) + "/session";
        IdempotencyKey key = new IdempotencyKey("k".repeat(200));
        Job job = Job.queued(JobId.random(), longOwner, newJob().request(), T0);

        assertEquals(new IdempotentCreation.Created(), store.createIdempotently(job, key, "fingerprint-a", T0.plusSeconds(86_400)));

        String id = DynamoDbJobStore.idempotencyItemId(longOwner, key);
        assertTrue(id.matches("idempotency#[0-9a-f]{64}"), id);
        Map<String, AttributeValue> keyItem = item(id);
        assertEquals(AttributeValue.fromS(job.id().value()), keyItem.get("jobId"));
        assertEquals(AttributeValue.fromS("fingerprint-a"), keyItem.get("requestFingerprint"));
        assertEquals(AttributeValue.fromN(Long.toString(T0.plusSeconds(86_400).getEpochSecond())), keyItem.get("expiresAt"));
    }

    @Test
    void onlyASuccessPutsTheJobInTheRecentSuccessesIndex() {
        DynamoDbJobStore store = newStore();
        Job succeeded = newJob();
        Job failed = newJob();
        store.create(succeeded);
        store.create(failed);
        store.claim(succeeded.id(), T0, T0.plusSeconds(60)).orElseThrow();

        store.markSucceeded(succeeded.id(), List.of(), Optional.empty(), List.of(), T0.plusSeconds(13));
        store.markFailed(failed.id(), new JobError("safety_block", "IMAGE_SAFETY"), T0.plusSeconds(13));

        assertEquals(AttributeValue.fromS(T0.plusSeconds(13).toString()), item(succeeded.id().value()).get("succeededAt"));
        assertFalse(item(failed.id().value()).containsKey("succeededAt"));
    }

    @Test
    void anEditKeepsItsInputsAndMaskAsKeysTypesAndSizes() {
        Job plain = newJob();
        var edit = plain.request().withInputs(List.of(
                        InputImage.upload("u1", "uploads/abc/u1", "image/png", 5000),
                        InputImage.ofJob("5f0c0000-0000-4000-8000-000000000000", 1, "generations/5f0c/1.png", "image/jpeg", 7000)),
                Optional.of(InputImage.upload("m1", "uploads/abc/m1", "image/png", 300)));
        Job job = Job.queued(JobId.random(), plain.owner(), edit, T0);

        newStore().create(job);

        assertEquals(edit, newStore().find(job.id()).orElseThrow().request());
        assertEquals(2, item(job.id().value()).get("inputs").l().size());
    }

    private static Map<String, AttributeValue> item(String id) {
        return moto.clients().dynamoDb().getItem(get -> get.tableName(table()).key(Map.of(JobItems.ID, AttributeValue.fromS(id)))
                .consistentRead(true)).item();
    }

    private static String table() {
        return moto.resources().physicalId("JobsTable");
    }
}
