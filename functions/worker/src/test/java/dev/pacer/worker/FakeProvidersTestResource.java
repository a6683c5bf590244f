package dev.pacer.worker;

import dev.pacer.providers.fake.FakeProviderServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the worker's real Gemini and OpenAI adapters at the fake provider server, with timeouts
 * shortened so that a hanging provider ends a test in seconds.
 */
public final class FakeProvidersTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeProviderServer server;

    @Override
    public Map<String, String> start() {
        server = FakeProviderServer.start();
        return Map.of(
                "pacer.provider", "real",
                "pacer.gemini.api-key", "test-gemini-key",
                "pacer.gemini.base-url", server.baseUrl().toString(),
                "pacer.gemini.account", "project-a",
                "pacer.openai.api-key", "sk-test",
                "pacer.openai.base-url", server.baseUrl().toString(),
                "pacer.openai.output-format", "webp",
                "pacer.timeouts.up-to-2k", "PT2S",
                "pacer.timeouts.connect", "PT2S");
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
