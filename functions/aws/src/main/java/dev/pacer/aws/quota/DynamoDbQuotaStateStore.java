package dev.pacer.aws.quota;

import dev.pacer.core.quota.Cooldown;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Grant;
import dev.pacer.core.quota.QuotaStateStore;
import dev.pacer.core.quota.Replacement;
import dev.pacer.core.quota.WindowState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's state in the quota table: one item per account and model ({@code pk = account#<id>},
 * {@code sk = model#<name>}) holding the grants of the last minute, the provider day's request count and the
 * cooldown. Every change is a PutItem conditioned on the version the ledger last saw, so all dimensions change in
 * one atomic write and concurrent workers serialise on the item; a failed condition returns the item that won
 * ({@code ALL_OLD}); {@code expiresAt} lets TTL drop idle accounts' items.
 * Grants are kept compactly as {@code id|grantedMillis|requests|images|tokens|holdUntilMillis} strings.
 */
public final class DynamoDbQuotaStateStore implements QuotaStateStore {

    static final String PK = "pk";
    static final String SK = "sk";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbQuotaStateStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<WindowState> load(String account, String model) {
        return state(dynamoDb.getItem(get -> get.tableName(tableName)
                .key(key(account, model))
                .consistentRead(true)).item());
    }

    private static Optional<WindowState> state(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<Grant> grants = item.containsKey("grants")
                ? item.get("grants").l().stream().map(v -> grant(v.s())).toList()
                : List.of();
        Optional<Cooldown> cooldown = Optional.ofNullable(item.get("cooldownUntil"))
                .map(v -> new Cooldown(Instant.ofEpochMilli(Long.parseLong(v.n())),
                        Optional.ofNullable(item.get("cooldownReason")).map(AttributeValue::s).orElse("")));
        return Optional.of(new WindowState(Long.parseLong(item.get("version").n()), grants,
                LocalDate.parse(item.get("day").s()), Integer.parseInt(item.get("dayRequests").n()), cooldown));
    }

    @Override
    public Replacement replace(String account, String model, long expectedVersion, WindowState next, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(account, model));
        WindowState stored = QuotaStateStore.stored(expectedVersion, next);
        item.put("version", n(stored.version()));
        item.put("account", AttributeValue.fromS(account));
        item.put("model", AttributeValue.fromS(model));
        item.put("grants", AttributeValue.fromL(next.grants().stream().map(g -> AttributeValue.fromS(encode(g))).toList()));
        item.put("day", AttributeValue.fromS(next.day().toString()));
        item.put("dayRequests", n(next.dayRequests()));
        next.cooldown().ifPresent(c -> {
            item.put("cooldownUntil", n(c.until().toEpochMilli()));
            item.put("cooldownReason", AttributeValue.fromS(c.reason()));
        });
        item.put("expiresAt", n(expiresAt.getEpochSecond()));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(tableName).item(item)
                // a lost race answers with the item that won it: no read needed before deciding again
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (expectedVersion == 0) {
            put.conditionExpression("attribute_not_exists(pk)");
        } else {
            put.conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
        }
        try {
            dynamoDb.putItem(put.build());
            return new Replacement.Replaced(stored);
        } catch (ConditionalCheckFailedException someoneElseWroteFirst) {
            return new Replacement.Conflict(someoneElseWroteFirst.hasItem() ? state(someoneElseWroteFirst.item()) : Optional.empty());
        }
    }

    static Map<String, AttributeValue> key(String account, String model) {
        return Map.of(PK, AttributeValue.fromS("account#" + account), SK, AttributeValue.fromS("model#" + model));
    }

    static String encode(Grant g) {
        return g.id() + "|" + g.at().toEpochMilli() + "|" + g.demand().requests() + "|" + g.demand().images() + "|"
                + g.demand().tokens() + "|" + g.holdUntil().toEpochMilli();
    }

    static Grant grant(String encoded) {
        String[] f = encoded.split("\\|");
        return new Grant(f[0], Instant.ofEpochMilli(Long.parseLong(f[1])),
                new Demand(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])),
                Instant.ofEpochMilli(Long.parseLong(f[5])));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
