package dev.pacer.core.catalog;

import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models pacer accepts, the aliases they are also known by, the ids that were retired and what replaced them, and
 * the model used when a submission names none. Made from catalog entries (the bundled file and an operator's
 * override), checked as a whole: every name it hands out leads to a model it has.
 */
public final class ModelCatalog {

    private final Map<String, ModelSpec> models;
    private final Map<String, String> aliases;
    private final Map<String, Retirement> retired;
    private final Map<String, ProviderDefaults> providerDefaults;
    private final ModelSpec defaultModel;

    private ModelCatalog(Map<String, ModelSpec> models, Map<String, String> aliases, Map<String, Retirement> retired,
            Map<String, ProviderDefaults> providerDefaults, String defaultModel) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.aliases = Map.copyOf(aliases);
        this.retired = Map.copyOf(retired);
        this.providerDefaults = Map.copyOf(providerDefaults);
        this.defaultModel = models.get(defaultModel);
    }

    /** The catalog the entries describe; an entry naming what the catalog does not have is an error saying which. */
    public static ModelCatalog of(CatalogEntries entries) {
        Map<String, ModelSpec> models = entries.models();
        models.forEach((id, spec) -> {
            if (!spec.id().equals(id)) {
                throw new IllegalArgumentException(id + ": listed under another id than its own (" + spec.id() + ")");
            }
        });
        entries.aliases().forEach((alias, target) -> {
            if (!models.containsKey(target) && !entries.retired().containsKey(target)) {
                throw new IllegalArgumentException("aliases: \"" + alias + "\" names \"" + target + "\", which is not a model of the catalog");
            }
        });
        entries.retired().forEach((id, retirement) -> {
            if (!models.containsKey(retirement.successor())) {
                throw new IllegalArgumentException("retired: " + id + ": \"successor\" \"" + retirement.successor()
                        + "\" is not a model of the catalog");
            }
        });
        String named = entries.defaultModel().orElseThrow(() -> new IllegalArgumentException("\"default\" is required"));
        String resolved = entries.aliases().getOrDefault(named, named);
        if (entries.retired().containsKey(resolved)) {
            Retirement retirement = entries.retired().get(resolved);
            throw new IllegalArgumentException("\"default\": \"" + named + "\" was retired on " + retirement.retiredOn()
                    + "; name a live model, such as its successor \"" + retirement.successor() + "\"");
        }
        if (!models.containsKey(resolved)) {
            throw new IllegalArgumentException("\"default\": \"" + named + "\" is not a model of the catalog");
        }
        return new ModelCatalog(models, entries.aliases(), entries.retired(), entries.providerDefaults(), resolved);
    }

    /** The model of this id; aliases and retired ids are not ids ({@link #resolve}, {@link #require}). */
    public Optional<ModelSpec> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** The model a name means: its id or one of its aliases. Empty for an unknown or retired name. */
    public Optional<ModelSpec> resolve(String name) {
        return find(aliases.getOrDefault(name, name));
    }

    /** The retirement a name means: a retired id, or an alias of one. */
    public Optional<Retirement> retirement(String name) {
        return Optional.ofNullable(retired.get(aliases.getOrDefault(name, name)));
    }

    /**
     * The model a request names in {@code field}, by id or alias. A retired id is refused naming its successor and the
     * day it was retired; an unknown one naming the models there are.
     */
    public ModelSpec require(String field, String name) {
        Optional<ModelSpec> model = resolve(name);
        if (model.isPresent()) {
            return model.get();
        }
        Optional<Retirement> retirement = retirement(name);
        if (retirement.isPresent()) {
            throw new ModelRetiredException(field, name, retirement.get());
        }
        String known = String.join(", ", names()) + (aliases.isEmpty() ? "" : "; aliases: " + String.join(", ", aliases.keySet().stream().sorted().toList()));
        throw new InvalidRequestException(field, "unknown model '" + name + "'; supported: " + known);
    }

    public ModelSpec defaultModel() {
        return defaultModel;
    }

    /** The ids of the models, in the catalog's order. */
    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }

    /** Alias to the id it stands for. */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** By retired id. */
    public Map<String, Retirement> retired() {
        return retired;
    }

    /**
     * This catalog and the models the pool names that it lacks, so that every model an account serves can be asked
     * for: each is sent to its provider as it is named, with the provider's usual shapes ({@link ProviderDefaults})
     * and no token or price estimates. The provider is that of the first account naming it. Retired ids and aliases
     * the pool names are not added ({@link #poolNotes} says so); nor are models of a provider without defaults.
     */
    public ModelCatalog servingPool(AccountPool pool) {
        Map<String, ModelSpec> served = new LinkedHashMap<>(models);
        for (Account account : pool.accounts()) {
            ProviderDefaults defaults = providerDefaults.get(account.provider());
            for (String model : account.models().keySet().stream().sorted().toList()) {
                if (defaults != null && !served.containsKey(model) && !aliases.containsKey(model) && !retired.containsKey(model)) {
                    served.put(model, ModelSpec.servedAsNamed(model, account.provider(), defaults));
                }
            }
        }
        return new ModelCatalog(served, aliases, retired, providerDefaults, defaultModel.id());
    }

    /** What an operator should know about the models the pool names, one sentence each; empty when nothing is amiss. */
    public List<String> poolNotes(AccountPool pool) {
        List<String> notes = new ArrayList<>();
        Map<String, String> firstProvider = new LinkedHashMap<>();
        for (Account account : pool.accounts()) {
            for (String model : account.models().keySet().stream().sorted().toList()) {
                String where = "account " + account.id() + " names " + model;
                if (retired.containsKey(model)) {
                    Retirement retirement = retired.get(model);
                    notes.add(where + ", retired on " + retirement.retiredOn() + ": submissions for it are refused; name "
                            + retirement.successor() + " instead");
                } else if (aliases.containsKey(model)) {
                    notes.add(where + ", an alias: jobs are recorded as " + aliases.get(model) + ", so these limits are never used; "
                            + "name " + aliases.get(model) + " instead");
                } else if (!models.containsKey(model)) {
                    if (!providerDefaults.containsKey(account.provider())) {
                        notes.add(where + ", which the catalog lacks, and the catalog has no \"providerDefaults\" for "
                                + account.provider() + ": it is not served");
                        continue;
                    }
                    String earlier = firstProvider.putIfAbsent(model, account.provider());
                    if (earlier == null) {
                        notes.add(where + ", which the catalog lacks: served as named by " + account.provider()
                                + " with its usual resolutions and aspect ratios, without price or token estimates");
                    } else if (!earlier.equals(account.provider())) {
                        notes.add(where + " on " + account.provider() + ", which another account serves on " + earlier
                                + ": the catalog treats it as a " + earlier + " model");
                    }
                }
            }
        }
        return notes;
    }
}
