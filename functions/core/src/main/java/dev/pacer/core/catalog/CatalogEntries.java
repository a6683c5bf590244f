package dev.pacer.core.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one catalog document says, before it is checked as a whole: the bundled file says all of it, an operator's
 * override only what it changes. {@link ModelCatalog#of} checks that the names agree with each other.
 *
 * @param models           by id
 * @param aliases          alias to the model (or retired id) it names
 * @param retired          by the retired id
 * @param defaultModel     the model used when a submission names none
 * @param providerDefaults by provider: the shapes of a model the pool names and the catalog lacks
 */
public record CatalogEntries(Map<String, ModelSpec> models, Map<String, String> aliases, Map<String, Retirement> retired,
        Optional<String> defaultModel, Map<String, ProviderDefaults> providerDefaults) {

    public CatalogEntries {
        models = copy(models);
        aliases = copy(aliases);
        retired = copy(retired);
        Objects.requireNonNull(defaultModel, "defaultModel");
        providerDefaults = copy(providerDefaults);
        for (String id : models.keySet()) {
            if (aliases.containsKey(id)) {
                throw new IllegalArgumentException("\"" + id + "\" is both a model and an alias");
            }
            if (retired.containsKey(id)) {
                throw new IllegalArgumentException("\"" + id + "\" is both a model and a retired id");
            }
        }
        for (String alias : aliases.keySet()) {
            if (retired.containsKey(alias)) {
                throw new IllegalArgumentException("\"" + alias + "\" is both an alias and a retired id");
            }
        }
    }

    /** A document that changes nothing. */
    public static CatalogEntries none() {
        return new CatalogEntries(Map.of(), Map.of(), Map.of(), Optional.empty(), Map.of());
    }

    /**
     * These entries with {@code override}'s on top, matched by name: a model replaces the model of its id whole (or
     * is added), and takes its id back from a retirement or an alias; an alias replaces the alias of its name; a
     * retirement retires the model of its id; provider defaults replace those of their provider; a default replaces
     * the default.
     */
    public CatalogEntries overriddenBy(CatalogEntries override) {
        Map<String, ModelSpec> mergedModels = new LinkedHashMap<>(models);
        Map<String, String> mergedAliases = new LinkedHashMap<>(aliases);
        Map<String, Retirement> mergedRetired = new LinkedHashMap<>(retired);
        override.models.forEach((id, spec) -> {
            mergedRetired.remove(id);
            mergedAliases.remove(id);
            mergedModels.put(id, spec);
        });
        override.retired.forEach((id, retirement) -> {
            mergedModels.remove(id);
            mergedAliases.remove(id);
            mergedRetired.put(id, retirement);
        });
        mergedAliases.putAll(override.aliases);
        Map<String, ProviderDefaults> mergedDefaults = new LinkedHashMap<>(providerDefaults);
        mergedDefaults.putAll(override.providerDefaults);
        return new CatalogEntries(mergedModels, mergedAliases, mergedRetired, override.defaultModel.or(() -> defaultModel),
                mergedDefaults);
    }

    /** An unmodifiable copy that keeps the document's order (the catalog lists models in it). */
    private static <V> Map<String, V> copy(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
