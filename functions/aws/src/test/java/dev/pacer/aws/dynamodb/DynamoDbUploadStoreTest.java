package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.upload.Upload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Upload records in the jobs table on moto: an item of their own, with the table's TTL. */
class DynamoDbUploadStoreTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private DynamoDbUploadStore store() {
        return new DynamoDbUploadStore(moto.clients().dynamoDb(), moto.resources().physicalId("JobsTable"));
    }

    @Test
    void anUploadIsFoundByItsIdAndExpiresByTheTablesTtl() {
        Upload upload = new Upload("a1b2", "arn:aws:iam::123:user/alice", "uploads/0123/a1b2", "image/png", 5000, T0,
                T0.plus(Duration.ofDays(7)));

        store().create(upload);

        assertEquals(Optional.of(upload), store().find("a1b2"));
        Map<String, AttributeValue> item = moto.clients().dynamoDb().getItem(get -> get.tableName(moto.resources().physicalId("JobsTable"))
                .key(Map.of("id", AttributeValue.fromS("upload#a1b2")))).item();
        assertEquals(Long.toString(T0.plus(Duration.ofDays(7)).getEpochSecond()), item.get("expiresAt").n());
    }

    @Test
    void anUnknownUploadIsAbsentAndAnIdIsNeverReused() {
        assertEquals(Optional.empty(), store().find("nobody"));
        Upload upload = new Upload("dup", "alice", "uploads/x/dup", "image/png", 1, T0, T0.plusSeconds(60));
        store().create(upload);
        assertThrows(ConditionalCheckFailedException.class, () -> store().create(upload));
    }
}
