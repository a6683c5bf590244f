package dev.pacer.worker;

import dev.pacer.providers.fake.FakeProviderServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the worker's real Gemini, OpenAI and Bedrock adapters (Bedrock: the SDK client, its endpoint overridden)
 * at the fake provider server through an account pool file, with timeouts shortened so that a hanging provider
 * ends a test in seconds. One Gemini account points at a port nothing listens on.
 */
public final class FakeProvidersTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeProviderServer server;

    @Override
    public Map<String, String> start() {
        server = FakeProviderServer.start();
        // The Bedrock client signs its requests with the default credential chain: system properties here.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return Map.of(
                "pacer.accounts-file", poolFile(server.baseUrl().toString(), closedPort()),
                "pacer.bedrock.region", "us-east-1",
                "pacer.gemini.api-key", "test-gemini-key",
                "pacer.openai.api-key", "sk-test",
                "pacer.openai.output-format", "webp",
                "pacer.timeouts.up-to-2k", "PT2S",
                "pacer.timeouts.connect", "PT2S");
    }

    /**
     * The pool, keys by env: reference. A 429 cools its account and model down, so each model a rate-limit test
     * uses has an account per such test: gemini-3-pro-image two projects, Nova Canvas two AWS accounts.
     * gemini-2.5-flash-image is served only by a project on a closed port (connection refused).
     */
    private static String poolFile(String baseUrl, int closedPort) {
        String limits = "{ \"rpm\": 10000, \"ipm\": 10000, \"rpd\": 1000000 }";
        String json = """
                {"accounts": [
                  {"id": "project-a", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-3.1-flash-image": %2$s}},
                  {"id": "project-daily", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-3-pro-image": %2$s}},
                  {"id": "project-limited", "provider": "gemini", "baseUrl": "%1$s", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-3-pro-image": %2$s}},
                  {"id": "project-unreachable", "provider": "gemini", "baseUrl": "http://127.0.0.1:%3$d", "keyRef": "env:PACER_GEMINI_API_KEY",
                   "models": {"gemini-2.5-flash-image": %2$s}},
                  {"id": "org-main", "provider": "openai", "baseUrl": "%1$s", "keyRef": "env:PACER_OPENAI_API_KEY",
                   "models": {"gpt-image-1.5": %2$s}},
                  {"id": "aws-a", "provider": "bedrock", "baseUrl": "%1$s", "keyRef": "none",
                   "models": {"amazon.nova-canvas-v1:0": %2$s}},
                  {"id": "aws-b", "provider": "bedrock", "baseUrl": "%1$s", "keyRef": "none",
                   "models": {"amazon.nova-canvas-v1:0": %2$s}}
                ]}
                """.formatted(baseUrl, limits, closedPort);
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("pacer-fake-providers-pool", ".json");
            java.nio.file.Files.writeString(file, json);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A port that was free a moment ago: connecting to it is refused. */
    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (server != null) {
            server.close();
        }
    }

    static FakeProviderServer server() {
        return server;
    }
}
