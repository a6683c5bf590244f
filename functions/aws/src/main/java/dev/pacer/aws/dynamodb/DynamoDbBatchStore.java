package dev.pacer.aws.dynamodb;

import dev.pacer.core.batch.BatchRecord;
import dev.pacer.core.batch.BatchRecord.Phase;
import dev.pacer.core.batch.BatchState;
import dev.pacer.core.batch.LearnedBatchLimit;
import dev.pacer.core.batch.ProviderBatch;
import dev.pacer.core.port.BatchStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pacer.aws.dynamodb.JobItems.n;
import static dev.pacer.aws.dynamodb.JobItems.s;

/**
 * Batch records in their own DynamoDB table, one item each, key {@code id}. While a record is not done it carries
 * {@code unfinishedAccount}, the key of the sparse index the collector and the poller read per account; the write that
 * makes it done removes it. Each move is one conditional UpdateItem on the record's phase.
 */
public final class DynamoDbBatchStore implements BatchStore {

    static final String ID = "id";
    static final String ACCOUNT = "account";
    static final String MODEL = "model";
    static final String JOB_IDS = "jobIds";
    static final String PHASE = "phase";
    static final String CREATED_AT = "createdAt";
    static final String FINISHED_AT = "finishedAt";
    static final String UNFINISHED_ACCOUNT = "unfinishedAccount";
    static final String UNFINISHED_BY_ACCOUNT_INDEX = "unfinishedByAccount";
    static final String PROVIDER_NAME = "providerName";
    static final String PROVIDER_STATE = "providerState";
    static final String PROVIDER_TOTAL = "providerTotal";
    static final String PROVIDER_SUCCEEDED = "providerSucceeded";
    static final String PROVIDER_FAILED = "providerFailed";
    static final String EXPIRES_AT = "expiresAt";
    static final String ENQUEUED_TOKENS = "enqueuedTokens";
    /** A learned enqueued-token limit is an item of its own, {@code learned-limit#<account>#<model>}: never in the index. */
    static final String LEARNED_LIMIT_PREFIX = "learned-limit#";
    static final String LEARNED_TOKENS = "learnedEnqueuedTokens";
    static final String LEARNED_AT = "learnedAt";
    static final String LEARNED_REASON = "learnedReason";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Duration retention;

    public DynamoDbBatchStore(DynamoDbClient dynamoDb, String tableName, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.retention = retention;
    }

    @Override
    public void create(BatchRecord intent) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(intent.id()));
        item.put(ACCOUNT, s(intent.account()));
        item.put(MODEL, s(intent.model()));
        item.put(JOB_IDS, AttributeValue.fromL(intent.jobIds().stream().map(JobItems::s).toList()));
        item.put(PHASE, s(intent.phase().name()));
        item.put(CREATED_AT, s(intent.createdAt().toString()));
        item.put(ENQUEUED_TOKENS, n(intent.enqueuedTokens()));
        if (intent.phase() != Phase.DONE) {
            item.put(UNFINISHED_ACCOUNT, s(intent.account()));
        }
        intent.provider().ifPresent(batch -> item.putAll(provider(batch)));
        intent.finishedAt().ifPresent(t -> item.put(FINISHED_AT, s(t.toString())));
        item.put(EXPIRES_AT, n(intent.createdAt().plus(retention).getEpochSecond()));
        dynamoDb.putItem(put -> put.tableName(tableName).item(item).conditionExpression("attribute_not_exists(id)"));
    }

    @Override
    public Optional<BatchRecord> find(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key(id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    @Override
    public List<BatchRecord> unfinished(String account) {
        List<BatchRecord> records = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            QueryResponse page = dynamoDb.query(query -> query.tableName(tableName)
                    .indexName(UNFINISHED_BY_ACCOUNT_INDEX)
                    .keyConditionExpression("#account = :account")
                    .expressionAttributeNames(Map.of("#account", UNFINISHED_ACCOUNT))
                    .expressionAttributeValues(Map.of(":account", s(account)))
                    .exclusiveStartKey(start));
            page.items().stream().map(DynamoDbBatchStore::toRecord).forEach(records::add);
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        // the index may lag the write that made a record done: it is read as the table has it
        return records.stream().filter(record -> record.phase() != Phase.DONE).toList();
    }

    @Override
    public boolean opened(String id, ProviderBatch batch, List<String> jobIds) {
        Map<String, AttributeValue> values = new HashMap<>(providerValues(batch));
        values.put(":jobIds", AttributeValue.fromL(jobIds.stream().map(JobItems::s).toList()));
        values.put(":to", s(Phase.OPEN.name()));
        values.put(":from", s(Phase.INTENDED.name()));
        return update(id, "SET #jobIds = :jobIds, #phase = :to, " + PROVIDER_SET, "#phase = :from", values);
    }

    @Override
    public boolean polled(String id, ProviderBatch batch) {
        Map<String, AttributeValue> values = new HashMap<>(providerValues(batch));
        values.put(":from", s(Phase.OPEN.name()));
        return update(id, "SET " + PROVIDER_SET, "#phase = :from", values);
    }

    @Override
    public boolean finish(String id, Optional<ProviderBatch> batch, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(batch.map(DynamoDbBatchStore::providerValues).orElse(Map.of()));
        values.put(":to", s(Phase.DONE.name()));
        values.put(":done", s(Phase.DONE.name()));
        values.put(":finishedAt", s(now.toString()));
        String set = "SET #phase = :to, #finishedAt = :finishedAt" + (batch.isPresent() ? ", " + PROVIDER_SET : "");
        return update(id, set + " REMOVE #unfinishedAccount", "attribute_exists(#id) AND #phase <> :done", values);
    }

    @Override
    public Optional<LearnedBatchLimit> learnedLimit(String account, String model) {
        Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key(learnedId(account, model)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey(LEARNED_TOKENS)) {
            return Optional.empty();
        }
        return Optional.of(new LearnedBatchLimit(Long.parseLong(item.get(LEARNED_TOKENS).n()), Instant.parse(item.get(LEARNED_AT).s()),
                Optional.ofNullable(item.get(LEARNED_REASON)).map(AttributeValue::s).orElse("")));
    }

    /**
     * One UpdateItem (which makes the item when there is none) replacing what was learned before: the poller, which
     * learns from OpenAI's failed batches, updates records and puts none. It expires with the batch records.
     */
    @Override
    public void learnLimit(String account, String model, LearnedBatchLimit limit) {
        dynamoDb.updateItem(update -> update.tableName(tableName).key(key(learnedId(account, model)))
                .updateExpression("SET #account = :account, #model = :model, #tokens = :tokens, #at = :at, #reason = :reason, #expiresAt = :expiresAt")
                .expressionAttributeNames(Map.of("#account", ACCOUNT, "#model", MODEL, "#tokens", LEARNED_TOKENS, "#at", LEARNED_AT,
                        "#reason", LEARNED_REASON, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":account", s(account), ":model", s(model), ":tokens", n(limit.enqueuedTokens()),
                        ":at", s(limit.at().toString()), ":reason", s(limit.reason()),
                        ":expiresAt", n(limit.at().plus(retention).getEpochSecond()))));
    }

    private static String learnedId(String account, String model) {
        return LEARNED_LIMIT_PREFIX + account + "#" + model;
    }

    private static final String PROVIDER_SET = "#providerName = :providerName, #providerState = :providerState, "
            + "#providerTotal = :providerTotal, #providerSucceeded = :providerSucceeded, #providerFailed = :providerFailed";

    private boolean update(String id, String expression, String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>();
        for (String attribute : List.of(ID, JOB_IDS, PHASE, FINISHED_AT, UNFINISHED_ACCOUNT, PROVIDER_NAME, PROVIDER_STATE, PROVIDER_TOTAL,
                PROVIDER_SUCCEEDED, PROVIDER_FAILED)) {
            if (expression.contains("#" + attribute) || condition.contains("#" + attribute)) {
                names.put("#" + attribute, attribute);
            }
        }
        try {
            dynamoDb.updateItem(update -> update.tableName(tableName).key(key(id))
                    .updateExpression(expression)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException refused) {
            return false;
        }
    }

    private static Map<String, AttributeValue> providerValues(ProviderBatch batch) {
        return Map.of(":providerName", s(batch.name()), ":providerState", s(batch.state().name()), ":providerTotal", n(batch.total()),
                ":providerSucceeded", n(batch.succeeded()), ":providerFailed", n(batch.failed()));
    }

    private static Map<String, AttributeValue> provider(ProviderBatch batch) {
        return Map.of(PROVIDER_NAME, s(batch.name()), PROVIDER_STATE, s(batch.state().name()), PROVIDER_TOTAL, n(batch.total()),
                PROVIDER_SUCCEEDED, n(batch.succeeded()), PROVIDER_FAILED, n(batch.failed()));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(ID, s(id));
    }

    private static BatchRecord toRecord(Map<String, AttributeValue> item) {
        String id = item.get(ID).s();
        Optional<ProviderBatch> provider = Optional.ofNullable(item.get(PROVIDER_NAME)).map(name -> new ProviderBatch(name.s(),
                BatchRecord.DISPLAY_NAME_PREFIX + id, BatchState.valueOf(item.get(PROVIDER_STATE).s()), number(item, PROVIDER_TOTAL),
                number(item, PROVIDER_SUCCEEDED), number(item, PROVIDER_FAILED)));
        return new BatchRecord(id, item.get(ACCOUNT).s(), item.get(MODEL).s(),
                item.get(JOB_IDS).l().stream().map(AttributeValue::s).toList(),
                Phase.valueOf(item.get(PHASE).s()),
                provider,
                Instant.parse(item.get(CREATED_AT).s()),
                Optional.ofNullable(item.get(FINISHED_AT)).map(v -> Instant.parse(v.s())),
                // a record written before the batch lane counted tokens enqueued none
                Optional.ofNullable(item.get(ENQUEUED_TOKENS)).map(v -> Long.parseLong(v.n())).orElse(0L));
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        return Integer.parseInt(item.get(name).n());
    }
}
