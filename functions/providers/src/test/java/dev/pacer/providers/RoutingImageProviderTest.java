package dev.pacer.providers;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.ProviderOutcome;
import dev.pacer.core.quota.Account;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingImageProviderTest {

    private static final GenerationRequest REQUEST = new GenerationRequest("a fox", "gpt-image-1.5", Resolution.ONE_K, "1:1", 1, Map.of());
    private static final ProviderOutcome MADE =
            new ProviderOutcome.Generated(List.of(new ProviderOutcome.GeneratedImage(new byte[] {1}, "image/png")));

    private final List<ProviderAccount> geminiCalls = new ArrayList<>();
    private final List<ProviderAccount> openAiCalls = new ArrayList<>();
    private final Map<String, ProviderAdapter> adapters = Map.of(
            "gemini", (request, account) -> {
                geminiCalls.add(account);
                return MADE;
            },
            "openai", (request, account) -> {
                openAiCalls.add(account);
                return MADE;
            });

    @Test
    void aCallGoesToTheAdapterOfTheAccountsProviderWithItsBaseUrlAndItsKeyResolvedNow() {
        RoutingImageProvider provider = new RoutingImageProvider(adapters, account -> Optional.of("key-of-" + account.id()));

        assertEquals(MADE, provider.generate(REQUEST, account("org-a", "openai")));

        assertEquals(List.of(new ProviderAccount("org-a", "openai", URI.create("https://api.example/org-a"), "key-of-org-a")), openAiCalls);
        assertEquals(List.of(), geminiCalls);
    }

    @Test
    void anAccountThatNeedsNoKeyIsCalledWithAnEmptyOne() {
        new RoutingImageProvider(adapters, account -> Optional.empty()).generate(REQUEST, account("project-a", "gemini"));

        assertEquals("", geminiCalls.get(0).apiKey());
    }

    @Test
    void anAccountOfAProviderWithoutAnAdapterIsRefusedAsNotConfigured() {
        ProviderOutcome outcome = new RoutingImageProvider(adapters, account -> Optional.empty()).generate(REQUEST, account("aws", "bedrock"));

        ProviderOutcome.Refused refused = assertInstanceOf(ProviderOutcome.Refused.class, outcome);
        assertEquals("provider_not_configured", refused.type());
        assertTrue(refused.message().contains("no bedrock account is configured for gpt-image-1"), refused::message);
    }

    @Test
    void aKeyThatCannotBeFoundFailsTheCallBeforeAnyAdapterIsAsked() {
        RoutingImageProvider provider = new RoutingImageProvider(adapters, account -> {
            throw new IllegalStateException("secret pacer/org-a not found");
        });

        assertThrows(IllegalStateException.class, () -> provider.generate(REQUEST, account("org-a", "openai")));
        assertEquals(List.of(), openAiCalls);
    }

    /**
     * An OutOfMemoryError while a big answer is read comes after the request was sent: the image may be billed, so the
     * call is ambiguous (retried only as the policy allows), never a free "retry later". Gemini's calls run on futures,
     * which wrap it.
     */
    @Test
    void anErrorDuringTheCallIsAmbiguousBecauseTheRequestWasSent() {
        RoutingImageProvider provider = new RoutingImageProvider(Map.of(
                "gemini", (request, account) -> {
                    throw new java.util.concurrent.CompletionException(new OutOfMemoryError("Java heap space"));
                },
                "openai", (request, account) -> {
                    throw new OutOfMemoryError("Java heap space");
                }), account -> Optional.of("key"));

        for (String name : List.of("gemini", "openai")) {
            ProviderOutcome outcome = provider.generate(REQUEST, account("a-" + name, name));

            ProviderOutcome.Ambiguous ambiguous = assertInstanceOf(ProviderOutcome.Ambiguous.class, outcome, name);
            assertEquals("worker_error_during_call", ambiguous.type());
            assertTrue(ambiguous.message().contains("OutOfMemoryError"), ambiguous::message);
        }
    }

    private static Account account(String id, String provider) {
        return new Account(id, provider, URI.create("https://api.example/" + id), "env:KEY", Map.of(), 0, ZoneId.of("UTC"), Optional.empty());
    }
}
