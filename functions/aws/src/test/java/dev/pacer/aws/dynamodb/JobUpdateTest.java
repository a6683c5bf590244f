package dev.pacer.aws.dynamodb;

import dev.pacer.core.job.JobTransition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The expressions the builder writes; that DynamoDB (moto) takes them as meant is the job store contract's part. */
class JobUpdateTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00.123Z");

    @Test
    void aClaimIsConditionalOnEitherTransitionItMayBe() {
        JobUpdate claim = JobUpdate.taking(NOW, JobTransition.CLAIM, JobTransition.TAKE_OVER)
                .set("leaseUntil", AttributeValue.fromN("1795860060123"))
                .remove("waitingUntil")
                .add("attempts", 1);

        assertEquals("SET #status = :status, #leaseUntil = :leaseUntil REMOVE #waitingUntil ADD #attempts :attempts",
                claim.updateExpression());
        assertEquals("(#status IN (:QUEUED, :WAITING_FOR_QUOTA)) OR (#status = :RUNNING AND #leaseUntil < :now)",
                claim.conditionExpression());
        assertEquals(Map.of("#status", "status", "#leaseUntil", "leaseUntil", "#waitingUntil", "waitingUntil", "#attempts", "attempts"),
                claim.names());
        assertEquals(Map.of(
                ":status", AttributeValue.fromS("RUNNING"),
                ":QUEUED", AttributeValue.fromS("QUEUED"),
                ":WAITING_FOR_QUOTA", AttributeValue.fromS("WAITING_FOR_QUOTA"),
                ":RUNNING", AttributeValue.fromS("RUNNING"),
                ":now", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())),
                ":leaseUntil", AttributeValue.fromN("1795860060123"),
                ":attempts", AttributeValue.fromN("1")), claim.values());
    }

    @Test
    void anAppendedListNeedNotExistYet() {
        AttributeValue call = AttributeValue.fromM(Map.of("number", AttributeValue.fromN("1")));
        JobUpdate release = JobUpdate.taking(JobTransition.RELEASE)
                .append("attemptLog", List.of(call))
                .remove("leaseUntil");

        assertEquals("SET #status = :status, #attemptLog = list_append(if_not_exists(#attemptLog, :emptyList), :attemptLog)"
                + " REMOVE #leaseUntil", release.updateExpression());
        assertEquals("#status = :RUNNING AND attribute_not_exists(#cancelRequestedAt)", release.conditionExpression());
        assertEquals(AttributeValue.fromL(List.of()), release.values().get(":emptyList"));
        assertEquals(AttributeValue.fromL(List.of(call)), release.values().get(":attemptLog"));
    }

    @Test
    void aFailureMayStartFromAnyUnfinishedStatusAndACallbackFromAnyStatusAtAll() {
        assertEquals("#status IN (:QUEUED, :WAITING_FOR_QUOTA, :RUNNING)", JobUpdate.taking(JobTransition.FAIL).conditionExpression());

        JobUpdate callback = JobUpdate.taking(JobTransition.RECORD_CALLBACK).set("callback", AttributeValue.fromS("c"));
        assertEquals("attribute_exists(#id)", callback.conditionExpression());
        assertEquals("SET #callback = :callback", callback.updateExpression(), "the status stays");
    }

    @Test
    void aRequestToCancelIsNotedOnceAndTheMovesAroundItLookForIt() {
        JobUpdate request = JobUpdate.taking(JobTransition.REQUEST_CANCEL).setIfAbsent("cancelRequestedAt", AttributeValue.fromS("t"));
        assertEquals("SET #cancelRequestedAt = if_not_exists(#cancelRequestedAt, :cancelRequestedAt)", request.updateExpression(),
                "the status stays, the first request's time too");
        assertEquals("#status = :RUNNING", request.conditionExpression());

        assertEquals("#status IN (:QUEUED, :WAITING_FOR_QUOTA)", JobUpdate.taking(JobTransition.CANCEL).conditionExpression());
        assertEquals("#status = :RUNNING AND attribute_exists(#cancelRequestedAt)",
                JobUpdate.taking(JobTransition.CANCEL_INSTEAD_OF_RETRY).conditionExpression());
        assertEquals("#status = :RUNNING AND attribute_not_exists(#cancelRequestedAt)",
                JobUpdate.taking(JobTransition.WAIT_FOR_QUOTA).conditionExpression());
    }

    @Test
    void aTakeoverCannotBeWrittenWithoutATimeNorTogetherWithAMoveElsewhere() {
        assertThrows(IllegalArgumentException.class, () -> JobUpdate.taking(JobTransition.TAKE_OVER));
        assertThrows(IllegalArgumentException.class, () -> JobUpdate.taking(NOW, JobTransition.CLAIM, JobTransition.RELEASE));
    }

    @Test
    void onePlaceholderNeverStandsForTwoValues() {
        JobUpdate update = JobUpdate.taking(JobTransition.RELEASE).set("errorType", AttributeValue.fromS("a"));
        assertThrows(IllegalStateException.class, () -> update.set("errorType", AttributeValue.fromS("b")));
    }
}
