package dev.pacer.runtime;

import dev.pacer.aws.quota.AccountPools;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;

import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pool when no pool file or SSM parameter is named: one account per provider whose key is in the
 * environment ({@code PACER_GEMINI_API_KEY}, {@code PACER_OPENAI_API_KEY}, {@code PACER_BEDROCK_REGION}),
 * and the simulated account for every other model — so real keys switch a local run to the real APIs.
 * Their limits are unknown, so they are generous: pacing then comes from the provider's 429s (cooldowns);
 * name the real limits in a pool file to pace without them.
 */
public final class EnvironmentAccounts {

    public static final String GEMINI_KEY = "PACER_GEMINI_API_KEY";
    public static final String OPENAI_KEY = "PACER_OPENAI_API_KEY";
    private static final ModelLimits UNKNOWN_LIMITS = ModelLimits.of(10_000, 10_000, 10_000_000);

    private EnvironmentAccounts() {
    }

    public static AccountPool pool(SharedConfig config, ModelCatalog catalog) {
        List<Account> accounts = new ArrayList<>();
        if (config.provider() != SharedConfig.ProviderMode.SIMULATED) {
            config.gemini().apiKey().filter(key -> !key.isBlank()).ifPresent(key -> accounts.add(account(
                    config.gemini().account(), "gemini", config.gemini().baseUrl(), "env:" + GEMINI_KEY, catalog)));
            config.openai().apiKey().filter(key -> !key.isBlank()).ifPresent(key -> accounts.add(account(
                    config.openai().account(), "openai", config.openai().baseUrl(), "env:" + OPENAI_KEY, catalog)));
            config.bedrock().region().filter(region -> !region.isBlank()).ifPresent(region -> accounts.add(account(
                    config.bedrock().account(), "bedrock", config.bedrock().baseUrl()
                            .orElse(URI.create("https://bedrock-runtime." + region + ".amazonaws.com")), "none", catalog)));
        }
        List<String> covered = accounts.stream().map(Account::provider).toList();
        if (config.provider() != SharedConfig.ProviderMode.REAL) {
            // auto and simulated: models without a real account are served by the simulated provider
            Map<String, ModelLimits> simulated = new LinkedHashMap<>();
            catalog.names().stream()
                    .filter(model -> !covered.contains(catalog.find(model).map(ModelSpec::provider).orElse("")))
                    .forEach(model -> simulated.put(model, UNKNOWN_LIMITS));
            if (!simulated.isEmpty()) {
                Account template = AccountPools.simulated(catalog).accounts().get(0);
                accounts.add(new Account(template.id(), template.provider(), template.baseUrl(), template.keyRef(), simulated,
                        template.safetyMargin(), template.dayResetZone(), template.smoothing()));
            }
        }
        return new AccountPool(accounts);
    }

    /** The keys named by {@code env:} references, as configured (environment variables or properties). */
    public static Function<String, String> variables(SharedConfig config) {
        Map<String, Optional<String>> configured = Map.of(
                GEMINI_KEY, config.gemini().apiKey(),
                OPENAI_KEY, config.openai().apiKey());
        return name -> configured.getOrDefault(name, Optional.empty()).orElseGet(() -> System.getenv(name));
    }

    private static Account account(String id, String provider, URI baseUrl, String keyRef, ModelCatalog catalog) {
        Map<String, ModelLimits> models = new LinkedHashMap<>();
        catalog.names().stream()
                .filter(model -> catalog.find(model).map(ModelSpec::provider).orElse("").equals(provider))
                .forEach(model -> models.put(model, UNKNOWN_LIMITS));
        return new Account(id, provider, baseUrl, keyRef, models, 0.0, Account.defaultDayZone(provider), Optional.empty());
    }
}
