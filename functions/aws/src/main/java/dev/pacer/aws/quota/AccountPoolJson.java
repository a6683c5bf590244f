package dev.pacer.aws.quota;

import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an account pool from JSON (the format is documented in docs/quota.md). Keys never appear in it: each
 * account names where its key is ({@code keyRef}); a field that looks like a key is an error, not ignored.
 */
public final class AccountPoolJson {

    private static final Set<String> ACCOUNT_FIELDS =
            Set.of("id", "provider", "baseUrl", "keyRef", "safetyMargin", "dayResetZone", "smoothingSeconds", "batchMaxOpen", "models");
    private static final Set<String> LIMIT_FIELDS = Set.of("rpm", "ipm", "rpd", "tpm", "maxConcurrent", "batchEnqueuedTokens");
    private static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "gemini", "https://generativelanguage.googleapis.com",
            "openai", "https://api.openai.com",
            "simulated", "http://simulated.invalid");

    private AccountPoolJson() {
    }

    public static AccountPool parse(String json, String source) {
        try {
            JsonNode root = JsonNode.parser().parse(json);
            JsonNode accounts = root.field("accounts").orElseThrow(() -> new IllegalArgumentException("no \"accounts\" array"));
            List<Account> parsed = new ArrayList<>();
            for (JsonNode node : accounts.asArray()) {
                parsed.add(account(node));
            }
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("\"accounts\" is empty");
            }
            return new AccountPool(parsed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("account pool " + source + ": " + e.getMessage(), e);
        }
    }

    private static Account account(JsonNode node) {
        Map<String, JsonNode> fields = node.asObject();
        String id = string(fields, "id").orElseThrow(() -> new IllegalArgumentException("an account has no \"id\""));
        for (String name : fields.keySet()) {
            if (name.toLowerCase().contains("key") && !name.equals("keyRef")) {
                throw new IllegalArgumentException(id + ": \"" + name + "\" looks like a key; keys belong in Secrets Manager, "
                        + "name them with \"keyRef\": \"secretsmanager:<secret id>\"");
            }
            if (!ACCOUNT_FIELDS.contains(name)) {
                throw new IllegalArgumentException(id + ": unknown field \"" + name + "\"; known: " + ACCOUNT_FIELDS);
            }
        }
        String provider = string(fields, "provider").orElseThrow(() -> new IllegalArgumentException(id + ": no \"provider\""));
        String baseUrl = string(fields, "baseUrl").orElseGet(() -> Optional.ofNullable(DEFAULT_BASE_URLS.get(provider))
                .orElseThrow(() -> new IllegalArgumentException(id + ": \"baseUrl\" is required for provider " + provider)));
        Map<String, ModelLimits> models = new LinkedHashMap<>();
        JsonNode modelsNode = Optional.ofNullable(fields.get("models"))
                .orElseThrow(() -> new IllegalArgumentException(id + ": no \"models\""));
        modelsNode.asObject().forEach((model, limits) -> models.put(model, limits(id + "/" + model, limits.asObject())));
        Optional<Duration> smoothing = number(fields, "smoothingSeconds").filter(s -> s > 0).map(s -> Duration.ofSeconds(s.longValue()));
        return new Account(id, provider, URI.create(baseUrl), string(fields, "keyRef").orElse("none"), models,
                number(fields, "safetyMargin").orElse(0.0),
                string(fields, "dayResetZone").map(ZoneId::of).orElse(Account.defaultDayZone(provider)),
                smoothing, limit(id, fields, "batchMaxOpen"));
    }

    private static ModelLimits limits(String where, Map<String, JsonNode> fields) {
        for (String name : fields.keySet()) {
            if (!LIMIT_FIELDS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown limit \"" + name + "\"; known: " + LIMIT_FIELDS);
            }
        }
        // Any limit may be left out: pacer then learns it (docs/quota.md, "Learning the limits"); those given are a ceiling.
        // batchEnqueuedTokens is the batch lane's own: tokens in unfinished batches (Gemini 3 Pro Image, Tier 1: 2,000,000)
        return new ModelLimits(limit(where, fields, "rpm"), limit(where, fields, "ipm"), limit(where, fields, "rpd"),
                limit(where, fields, "tpm"), limit(where, fields, "maxConcurrent"), longLimit(where, fields, "batchEnqueuedTokens"));
    }

    private static Optional<Integer> limit(String where, Map<String, JsonNode> fields, String name) {
        Optional<Double> value = number(fields, name);
        if (value.filter(v -> v < 1 || v != Math.floor(v) || v > Integer.MAX_VALUE).isPresent()) {
            throw new IllegalArgumentException(where + ": \"" + name + "\" must be a whole number of at least 1, or left out");
        }
        return value.map(Double::intValue);
    }

    private static Optional<Long> longLimit(String where, Map<String, JsonNode> fields, String name) {
        Optional<Double> value = number(fields, name);
        if (value.filter(v -> v < 1 || v != Math.floor(v) || v > 1e15).isPresent()) {
            throw new IllegalArgumentException(where + ": \"" + name + "\" must be a whole number of at least 1, or left out");
        }
        return value.map(Double::longValue);
    }

    private static Optional<String> string(Map<String, JsonNode> fields, String name) {
        return Optional.ofNullable(fields.get(name)).filter(n -> !n.isNull()).map(JsonNode::asString);
    }

    private static Optional<Double> number(Map<String, JsonNode> fields, String name) {
        return Optional.ofNullable(fields.get(name)).filter(n -> !n.isNull()).map(n -> Double.parseDouble(n.asNumber()));
    }
}
