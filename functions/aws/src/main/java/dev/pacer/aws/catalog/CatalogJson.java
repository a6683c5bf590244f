package dev.pacer.aws.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.core.catalog.CatalogEntries;
import dev.pacer.core.catalog.ImagePrice;
import dev.pacer.core.catalog.InputLimits;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.catalog.ProviderDefaults;
import dev.pacer.core.catalog.Retirement;
import dev.pacer.core.job.Resolution;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a model catalog document (the format is documented in docs/models.md). Every error names the document, the
 * entry and the field, and an unknown field is an error, not ignored: a typo in a price must not pass silently.
 * What the entries mean together (a default that is a model, aliases that lead somewhere) core's ModelCatalog checks.
 */
public final class CatalogJson {

    private static final List<String> TOP_FIELDS = List.of("note", "default", "models", "aliases", "retired", "providerDefaults");
    private static final List<String> MODEL_FIELDS =
            List.of("provider", "providerModel", "note", "resolutions", "aspectRatios", "takesImageSize", "maxInputImages",
                    "maxInputBytes", "acceptsMask", "maxMaskBytes", "inputTokensPerImage", "inputFidelity", "inputTokenUsdPerMillion",
                    "maxTotalInputBytes", "inputTypes");
    private static final List<String> RESOLUTION_FIELDS = List.of("outputTokens", "usd");
    private static final List<String> PRICE_FIELDS = List.of("sync", "batch");
    private static final List<String> RETIRED_FIELDS = List.of("successor", "retiredOn");
    private static final List<String> DEFAULTS_FIELDS = List.of("resolutions", "aspectRatios");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CatalogJson() {
    }

    /**
     * The entries of one document; {@code source} names it in errors ("models.json", a path, an SSM parameter). An
     * override says only what it changes, so no field is required at the top.
     */
    public static CatalogEntries parse(String json, String source) {
        try {
            return entries(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static CatalogEntries entries(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the document must be a JSON object");
        }
        knownFields("", root, TOP_FIELDS);
        Map<String, ModelSpec> models = objectOf(root, "models", "", CatalogJson::model);
        Map<String, String> aliases = objectOf(root, "aliases", "aliases: ", (alias, target) -> {
            if (!target.isTextual() || target.asText().isBlank()) {
                throw new IllegalArgumentException("aliases: \"" + alias + "\" must name a model id (a string)");
            }
            return target.asText();
        });
        Map<String, Retirement> retired = objectOf(root, "retired", "retired: ", CatalogJson::retirement);
        Map<String, ProviderDefaults> providerDefaults = objectOf(root, "providerDefaults", "providerDefaults: ", CatalogJson::defaults);
        Optional<String> defaultModel = Optional.ofNullable(root.get("default")).map(node -> {
            if (!node.isTextual() || node.asText().isBlank()) {
                throw new IllegalArgumentException("\"default\" must name a model (a string)");
            }
            return node.asText();
        });
        return new CatalogEntries(models, aliases, retired, defaultModel, providerDefaults);
    }

    private static ModelSpec model(String id, JsonNode node) {
        String where = id + ": ";
        requireObject(where, node, "a model");
        knownFields(where, node, MODEL_FIELDS);
        String provider = text(where, node, "provider").orElseThrow(() -> required(where, "provider"));
        String providerModel = text(where, node, "providerModel").orElse(id);
        JsonNode resolutions = Optional.ofNullable(node.get("resolutions")).orElseThrow(() -> required(where, "resolutions"));
        if (!resolutions.isObject()) {
            throw new IllegalArgumentException(where + "\"resolutions\" must be an object of resolution to its figures, e.g. "
                    + "{\"1K\": {\"outputTokens\": 1290, \"usd\": {\"sync\": 0.039}}}");
        }
        Map<Resolution, ModelSpec.PerImage> perImage = new EnumMap<>(Resolution.class);
        resolutions.fields().forEachRemaining(entry -> {
            Resolution resolution = resolution(where + "resolutions: ", entry.getKey());
            perImage.put(resolution, perImage(where + "resolutions: " + entry.getKey() + ": ", entry.getValue()));
        });
        List<String> aspectRatios = strings(where, node, "aspectRatios");
        boolean takesImageSize = Optional.ofNullable(node.get("takesImageSize")).map(flag -> {
            if (!flag.isBoolean()) {
                throw new IllegalArgumentException(where + "\"takesImageSize\" must be true or false");
            }
            return flag.asBoolean();
        }).orElse(true);
        InputLimits inputs;
        try {
            inputs = new InputLimits(
                    (int) whole(where, node, "maxInputImages", Integer.MAX_VALUE).orElse(0L).longValue(),
                    whole(where, node, "maxInputBytes", Long.MAX_VALUE).orElse(0L),
                    flag(where, node, "acceptsMask").orElse(false),
                    whole(where, node, "maxMaskBytes", Long.MAX_VALUE).orElse(0L),
                    (int) whole(where, node, "inputTokensPerImage", Integer.MAX_VALUE).orElse(0L).longValue(),
                    flag(where, node, "inputFidelity").orElse(false),
                    Optional.ofNullable(node.get("inputTokenUsdPerMillion")).map(value -> {
                        if (!value.isNumber() || value.decimalValue().signum() < 0) {
                            throw new IllegalArgumentException(where + "\"inputTokenUsdPerMillion\" must be a number of USD, at least 0, not " + value);
                        }
                        return value.decimalValue();
                    }),
                    whole(where, node, "maxTotalInputBytes", Long.MAX_VALUE).orElse(0L),
                    node.has("inputTypes") ? strings(where, node, "inputTypes") : InputLimits.ALL_TYPES);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + e.getMessage(), e);
        }
        return new ModelSpec(id, provider, providerModel, perImage, aspectRatios, takesImageSize, inputs);
    }

    private static Optional<Long> whole(String where, JsonNode node, String field, long max) {
        return Optional.ofNullable(node.get(field)).map(value -> {
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > max) {
                throw new IllegalArgumentException(where + "\"" + field + "\" must be a whole number of at least 0, not " + value);
            }
            return value.asLong();
        });
    }

    private static Optional<Boolean> flag(String where, JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).map(value -> {
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(where + "\"" + field + "\" must be true or false");
            }
            return value.asBoolean();
        });
    }

    private static ModelSpec.PerImage perImage(String where, JsonNode node) {
        requireObject(where, node, "the figures of one image");
        knownFields(where, node, RESOLUTION_FIELDS);
        Optional<Integer> tokens = Optional.ofNullable(node.get("outputTokens")).map(value -> {
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                throw new IllegalArgumentException(where + "\"outputTokens\" must be a whole number of at least 1, not " + value);
            }
            return value.asInt();
        });
        Optional<ImagePrice> price = Optional.ofNullable(node.get("usd")).map(usd -> {
            String at = where + "usd: ";
            requireObject(at, usd, "the price per image on each lane, e.g. {\"sync\": 0.039}");
            knownFields(at, usd, PRICE_FIELDS);
            BigDecimal sync = usd(at, usd, "sync").orElseThrow(() -> required(at, "sync"));
            return usd(at, usd, "batch").map(batch -> new ImagePrice(sync, batch)).orElseGet(() -> ImagePrice.ofSync(sync));
        });
        return new ModelSpec.PerImage(tokens, price);
    }

    private static Retirement retirement(String id, JsonNode node) {
        String where = "retired: " + id + ": ";
        requireObject(where, node, "a retirement");
        knownFields(where, node, RETIRED_FIELDS);
        String successor = text(where, node, "successor").orElseThrow(() -> required(where, "successor"));
        String day = text(where, node, "retiredOn").orElseThrow(() -> required(where, "retiredOn"));
        try {
            return new Retirement(id, successor, LocalDate.parse(day));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "\"retiredOn\" must be a date as YYYY-MM-DD, not \"" + day + "\"", e);
        }
    }

    private static ProviderDefaults defaults(String provider, JsonNode node) {
        String where = "providerDefaults: " + provider + ": ";
        requireObject(where, node, "a provider's usual shapes");
        knownFields(where, node, DEFAULTS_FIELDS);
        List<Resolution> parsed = new ArrayList<>();
        for (String label : strings(where, node, "resolutions")) {
            parsed.add(resolution(where + "resolutions: ", label));
        }
        try {
            return new ProviderDefaults(parsed, strings(where, node, "aspectRatios"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** An object field whose members are named entries: each value read by {@code read}, in the document's order. */
    private static <V> Map<String, V> objectOf(JsonNode root, String field, String where, EntryReader<V> read) {
        Map<String, V> entries = new LinkedHashMap<>();
        JsonNode node = root.get(field);
        if (node == null) {
            return entries;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an object keyed by name");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().isBlank()) {
                throw new IllegalArgumentException(where + "a name must not be blank");
            }
            entries.put(entry.getKey(), read.read(entry.getKey(), entry.getValue()));
        }
        return entries;
    }

    private interface EntryReader<V> {
        V read(String name, JsonNode value);
    }

    private static Resolution resolution(String where, String label) {
        return Resolution.fromLabel(label).orElseThrow(() -> new IllegalArgumentException(where + "\"" + label
                + "\" is not a resolution; one of 0.5K, 1K, 2K, 4K"));
    }

    private static Optional<BigDecimal> usd(String where, JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).map(value -> {
            if (!value.isNumber() || value.decimalValue().signum() < 0) {
                throw new IllegalArgumentException(where + "\"" + field + "\" must be a number of USD per image, at least 0, not " + value);
            }
            return value.decimalValue();
        });
    }

    private static Optional<String> text(String where, JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).map(value -> {
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new IllegalArgumentException(where + "\"" + field + "\" must be a non-blank string, not " + value);
            }
            return value.asText();
        });
    }

    private static List<String> strings(String where, JsonNode node, String field) {
        JsonNode array = Optional.ofNullable(node.get(field)).orElseThrow(() -> required(where, field));
        if (!array.isArray()) {
            throw new IllegalArgumentException(where + "\"" + field + "\" must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException(where + "\"" + field + "\" must be an array of strings, not with " + value);
            }
            if (values.contains(value.asText())) {
                throw new IllegalArgumentException(where + "\"" + field + "\" names \"" + value.asText() + "\" twice");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static void requireObject(String where, JsonNode node, String what) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + "must be an object: " + what);
        }
    }

    private static void knownFields(String where, JsonNode node, List<String> known) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + "unknown field \"" + name + "\"; known: " + String.join(", ", known));
            }
        });
    }

    private static IllegalArgumentException required(String where, String field) {
        return new IllegalArgumentException(where + "\"" + field + "\" is required");
    }
}
