package dev.pacer.runtime;

import dev.pacer.aws.catalog.ModelCatalogs;
import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.catalog.ModelSpec;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentAccountsTest {

    private static final ModelCatalog CATALOG = ModelCatalogs.bundled();

    @Test
    void aGeminiKeyGivesGeminiModelsTheirOwnAccountAndLeavesTheRestSimulated() {
        AccountPool pool = EnvironmentAccounts.pool(config(Map.of("pacer.gemini.api-key", "k", "pacer.gemini.account", "project-a")), CATALOG);

        for (String model : CATALOG.names()) {
            String provider = CATALOG.find(model).map(ModelSpec::provider).orElseThrow();
            List<String> serving = pool.serving(model).stream().map(Account::id).toList();
            assertEquals(List.of(provider.equals("gemini") ? "project-a" : "simulated"), serving, model);
        }
        assertEquals("env:" + EnvironmentAccounts.GEMINI_KEY, pool.find("project-a").orElseThrow().keyRef());
    }

    @Test
    void simulatedModeIgnoresEveryKey() {
        AccountPool pool = EnvironmentAccounts.pool(config(Map.of("pacer.gemini.api-key", "k", "pacer.openai.api-key", "k",
                "pacer.provider", "simulated")), CATALOG);

        assertEquals(List.of("simulated"), pool.accounts().stream().map(Account::id).toList());
    }

    @Test
    void realModeLeavesModelsWithoutAKeyUnserved() {
        AccountPool pool = EnvironmentAccounts.pool(config(Map.of("pacer.openai.api-key", "k", "pacer.provider", "real")), CATALOG);

        assertEquals(List.of("openai"), pool.accounts().stream().map(Account::id).toList());
        assertTrue(pool.accounts().get(0).baseUrl().toString().startsWith("https://api.openai.com"));
    }

    @Test
    void aKeyNamedByAnEnvReferenceIsTheConfiguredOne() {
        SharedConfig config = config(Map.of("pacer.gemini.api-key", "from-config"));

        assertEquals("from-config", EnvironmentAccounts.variables(config).apply(EnvironmentAccounts.GEMINI_KEY));
    }

    /** The shared mapping as Quarkus builds it, from these properties and the defaults. */
    static SharedConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("pacer.jobs-table", "jobs", "pacer.jobs-queue-url", "https://sqs.invalid/jobs",
                "pacer.images-bucket", "images", "pacer.quota-table", "quota", "pacer.callbacks.queue-url", "https://sqs.invalid/callbacks"));
        all.putAll(properties);
        return new SmallRyeConfigBuilder().withMapping(SharedConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500)).build()
                .getConfigMapping(SharedConfig.class);
    }
}
