package dev.pacer.aws.quota;

import dev.pacer.core.quota.Cooldown;
import dev.pacer.core.quota.Demand;
import dev.pacer.core.quota.Dimension;
import dev.pacer.core.quota.Grant;
import dev.pacer.core.quota.Learning;
import dev.pacer.core.quota.StatedLimit;
import dev.pacer.core.quota.QuotaStateStore;
import dev.pacer.core.quota.Replacement;
import dev.pacer.core.quota.WindowState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
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
 * Grants are kept compactly as {@code id|grantedMillis|requests|images|tokens|holdUntilMillis} strings. What the ledger
 * learned is in the same item, so it changes in the same write: {@code learned} (one
 * {@code dimension|rate|heldBelow|sinceMillis|slowStart|why} string per learned rate), {@code stated}
 * ({@code dimension|limit|remaining|resetsInMillis|atMillis|source}; {@code -} for what the provider did not say),
 * {@code spread}, and {@code last429At} / {@code last429Reason}.
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
                LocalDate.parse(item.get("day").s()), Integer.parseInt(item.get("dayRequests").n()), cooldown, learning(item)));
    }

    private static Learning learning(Map<String, AttributeValue> item) {
        Map<Dimension, Learning.LearnedRate> rates = new EnumMap<>(Dimension.class);
        for (AttributeValue v : Optional.ofNullable(item.get("learned")).map(AttributeValue::l).orElse(List.of())) {
            String[] f = v.s().split("\\|", 6);
            rates.put(Dimension.ofLabel(f[0]), new Learning.LearnedRate(Integer.parseInt(f[1]), optionalInt(f[2]),
                    Instant.ofEpochMilli(Long.parseLong(f[3])), "1".equals(f[4]), f[5]));
        }
        Map<Dimension, Learning.Stated> stated = new EnumMap<>(Dimension.class);
        for (AttributeValue v : Optional.ofNullable(item.get("stated")).map(AttributeValue::l).orElse(List.of())) {
            String[] f = v.s().split("\\|", 6);
            stated.put(Dimension.ofLabel(f[0]), new Learning.Stated(new StatedLimit(Integer.parseInt(f[1]),
                    optionalLong(f[2]), optionalLong(f[3]).map(Duration::ofMillis), f[5]), Instant.ofEpochMilli(Long.parseLong(f[4]))));
        }
        Optional<Learning.Unpredicted> last429 = Optional.ofNullable(item.get("last429At"))
                .map(v -> new Learning.Unpredicted(Instant.ofEpochMilli(Long.parseLong(v.n())),
                        Optional.ofNullable(item.get("last429Reason")).map(AttributeValue::s).orElse("")));
        boolean spread = Optional.ofNullable(item.get("spread")).map(AttributeValue::bool).orElse(false);
        return new Learning(rates, stated, spread, last429);
    }

    private static Map<String, AttributeValue> learning(Learning learning) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        if (!learning.rates().isEmpty()) {
            attributes.put("learned", AttributeValue.fromL(learning.rates().entrySet().stream().map(e -> AttributeValue.fromS(
                    e.getKey().label() + "|" + e.getValue().rate() + "|" + e.getValue().heldBelow().map(String::valueOf).orElse("-")
                            + "|" + e.getValue().since().toEpochMilli() + "|" + (e.getValue().slowStart() ? "1" : "0")
                            + "|" + e.getValue().why())).toList()));
        }
        if (!learning.stated().isEmpty()) {
            attributes.put("stated", AttributeValue.fromL(learning.stated().entrySet().stream().map(e -> {
                StatedLimit limit = e.getValue().limit();
                return AttributeValue.fromS(e.getKey().label() + "|" + limit.limit() + "|" + limit.remaining().map(String::valueOf).orElse("-")
                        + "|" + limit.resetsIn().map(d -> String.valueOf(d.toMillis())).orElse("-")
                        + "|" + e.getValue().at().toEpochMilli() + "|" + limit.source());
            }).toList()));
        }
        if (learning.spread()) {
            attributes.put("spread", AttributeValue.fromBool(true));
        }
        learning.last429().ifPresent(last -> {
            attributes.put("last429At", n(last.at().toEpochMilli()));
            attributes.put("last429Reason", AttributeValue.fromS(last.reason()));
        });
        return attributes;
    }

    private static Optional<Integer> optionalInt(String field) {
        return "-".equals(field) ? Optional.empty() : Optional.of(Integer.parseInt(field));
    }

    private static Optional<Long> optionalLong(String field) {
        return "-".equals(field) ? Optional.empty() : Optional.of(Long.parseLong(field));
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
        item.putAll(learning(next.learning()));
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
