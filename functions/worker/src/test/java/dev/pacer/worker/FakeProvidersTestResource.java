package dev.pacer.worker;

import dev.pacer.providers.fake.FakeProviderServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the worker's real Gemini and OpenAI adapters at the fake provider server through an account
 * pool file, with timeouts shortened so that a hanging provider ends a test in seconds.
 */
public final class FakeProvidersTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeProviderServer server;

    @Override
    public Map<String, String> start() {
        server = FakeProviderServer.start();
        return Map.of(
                "pacer.accounts-file", poolFile(server.baseUrl().toString()),
                "pacer.gemini.api-key", "test-gemini-key",
                "pacer.openai.api-key", "sk-test",
                "pacer.openai.output-format", "webp",
                "pacer.timeouts.up-to-2k", "PT2S",
                "pacer.timeouts.connect", "PT2S");
    }

    /** A pool of one Gemini project and one OpenAI organisation on the fake server, keys by env: reference. */
    private static String poolFile(String baseUrl) {
        String limits = "{ \"rpm\": 10000, \"ipm\": 10000, \"rpd\": 1000000 }";
        String json = """
                {"accounts": [
                  {"id": "project-a", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-3.1-flash-image-preview": %2$s}},
                  {"id": "project-daily", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-3-pro-image-preview": %2$s}},
                  {"id": "project-limited", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-2.5-flash-image": %2$s}},
                  {"id": "org-main", "provider": "openai", "baseUrl": "%1$s", "keyRef": "env:PACER_OPENAI_API_KEY",
                   "models": {"gpt-image-1": %2$s}}
                ]}
                """.formatted(baseUrl, limits);
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("pacer-fake-providers-pool", ".json");
            java.nio.file.Files.writeString(file, json);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    static FakeProviderServer server() {
        return server;
    }
}
