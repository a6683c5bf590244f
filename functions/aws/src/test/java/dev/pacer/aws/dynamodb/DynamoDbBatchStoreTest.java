package dev.pacer.aws.dynamodb;

import dev.pacer.aws.MotoResources;
import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.port.BatchStore;
import dev.pacer.core.port.BatchStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DynamoDB batch store on moto, in the template's BatchesTable: the {@link BatchStoreContract}, and its item's layout. */
class DynamoDbBatchStoreTest extends BatchStoreContract {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @Override
    protected BatchStore newStore() {
        return new DynamoDbBatchStore(moto.clients().dynamoDb(), table(), Duration.ofDays(30));
    }

    @Test
    void anUnfinishedRecordCarriesTheIndexKeyAndTheRetentionAndADoneOneLeavesTheIndex() {
        BatchRecord intent = BatchRecord.intended(UUID.randomUUID().toString(), "project-a", "gemini-3.1-flash-image", List.of("j"), T0);
        BatchStore store = newStore();
        store.create(intent);

        Map<String, AttributeValue> item = item(intent.id());
        assertEquals("project-a", item.get("unfinishedAccount").s());
        assertEquals(Long.toString(T0.plus(Duration.ofDays(30)).getEpochSecond()), item.get("expiresAt").n());

        store.finish(intent.id(), Optional.empty(), T0.plusSeconds(5));
        assertFalse(item(intent.id()).containsKey("unfinishedAccount"));
        assertTrue(item(intent.id()).containsKey("finishedAt"));
    }

    @Test
    void aRecordWrittenBeforeTokensWereCountedEnqueuedNone() {
        String id = UUID.randomUUID().toString();
        moto.clients().dynamoDb().putItem(put -> put.tableName(table()).item(Map.of("id", AttributeValue.fromS(id),
                "account", AttributeValue.fromS("project-old"), "model", AttributeValue.fromS("gemini-3.1-flash-image"),
                "jobIds", AttributeValue.fromL(List.of(AttributeValue.fromS("j"))), "phase", AttributeValue.fromS("INTENDED"),
                "createdAt", AttributeValue.fromS(T0.toString()), "unfinishedAccount", AttributeValue.fromS("project-old"))));

        assertEquals(0, newStore().unfinished("project-old").get(0).enqueuedTokens());
    }

    @Test
    void aLearnedLimitIsAnItemOfItsOwnThatExpiresWithTheRecords() {
        newStore().learnLimit("project-l", "gemini-3.1-flash-image", new LearnedBatchLimit(1_000_000, T0, "429 RESOURCE_EXHAUSTED"));

        Map<String, AttributeValue> item = item("learned-limit#project-l#gemini-3.1-flash-image");
        assertEquals("1000000", item.get("learnedEnqueuedTokens").n());
        assertEquals(Long.toString(T0.plus(Duration.ofDays(30)).getEpochSecond()), item.get("expiresAt").n());
        assertFalse(item.containsKey("unfinishedAccount"));
    }

    private static Map<String, AttributeValue> item(String id) {
        return moto.clients().dynamoDb().getItem(get -> get.tableName(table()).key(Map.of("id", AttributeValue.fromS(id)))).item();
    }

    private static String table() {
        return moto.resources().physicalId("BatchesTable");
    }
}
