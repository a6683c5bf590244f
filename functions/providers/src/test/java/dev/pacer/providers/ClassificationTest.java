package dev.pacer.providers;

import dev.pacer.core.port.ProviderOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One example per row of the table; the adapter tests show each example is what the provider really sends. */
class ClassificationTest {

    static Stream<Arguments> oneExamplePerRow() {
        return Stream.of(
                example("*", 0, "CONNECT_FAILED", "provider_unreachable"),
                example("*", 0, "TIMEOUT_AFTER_SEND", "provider_timeout"),
                example("*", 200, "MALFORMED_ANSWER", "provider_bad_answer"),
                example("*", 0, "CONNECTION_LOST", "provider_connection_lost"),
                example("*", 0, "INPUT_UNREADABLE", "input_unreadable"),
                example("gemini", 200, "blockReason:PROHIBITED_CONTENT", "safety_block"),
                example("gemini", 200, "finishReason:IMAGE_SAFETY", "safety_block"),
                example("gemini", 200, "finishReason:NO_IMAGE", "no_image"),
                example("gemini", 429, "RESOURCE_EXHAUSTED", "rate_limited"),
                example("gemini", 400, "API_KEY_INVALID", "provider_auth"),
                example("gemini", 400, "FAILED_PRECONDITION", "provider_precondition"),
                example("gemini", 400, "INVALID_ARGUMENT", "invalid_request"),
                example("gemini", 403, "PERMISSION_DENIED", "provider_auth"),
                example("gemini", 404, "NOT_FOUND", "model_not_found"),
                example("gemini", 503, "UNAVAILABLE", "provider_unavailable"),
                example("gemini", 504, "DEADLINE_EXCEEDED", "provider_deadline_exceeded"),
                example("openai", 429, "insufficient_quota", "quota_exhausted"),
                example("openai", 429, "rate_limit_exceeded", "rate_limited"),
                example("openai", 400, "moderation_blocked", "safety_block"),
                example("openai", 400, "invalid_value", "invalid_request"),
                example("openai", 401, "invalid_api_key", "provider_auth"),
                example("openai", 404, "model_not_found", "model_not_found"),
                example("openai", 503, "server_error", "provider_unavailable"),
                example("openai", 504, "HTTP_504", "provider_deadline_exceeded"),
                example("bedrock", 429, "ThrottlingException", "rate_limited"),
                example("bedrock", 200, "ContentFiltered", "safety_block"),
                example("bedrock", 400, "ValidationException:ContentFilter", "safety_block"),
                example("bedrock", 400, "ValidationException", "invalid_request"),
                example("bedrock", 403, "AccessDeniedException", "provider_auth"),
                example("bedrock", 404, "ResourceNotFoundException", "model_not_found"),
                example("bedrock", 408, "ModelTimeoutException", "provider_deadline_exceeded"),
                example("bedrock", 503, "ServiceUnavailableException", "provider_unavailable"),
                example("proxy", 429, "whatever", "rate_limited"),
                example("gemini", 500, "INTERNAL", "provider_error"),
                example("openai", 409, "conflict", "provider_rejected"),
                example("proxy", 302, "redirect", "provider_error"));
    }

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @MethodSource("oneExamplePerRow")
    void eachRowGivesItsStableType(String provider, int status, String code, String type) {
        ProviderError error = ProviderError.of(provider.equals("*") ? "gemini" : provider, status, code, "as the provider said it");
        assertEquals(type, Classification.rowFor(error).type());
    }

    @Test
    void everyRowIsReachedByAnExample() {
        Set<Classification.Row> reached = new HashSet<>();
        oneExamplePerRow().forEach(args -> {
            Object[] a = args.get();
            String provider = a[0].equals("*") ? "gemini" : (String) a[0];
            reached.add(Classification.rowFor(ProviderError.of(provider, (int) a[1], (String) a[2], "")));
        });
        Set<Classification.Row> unreached = new HashSet<>(Classification.ROWS);
        unreached.removeAll(reached);
        assertTrue(unreached.isEmpty(), () -> "rows without an example: " + unreached);
    }

    @Test
    void aPerDayQuotaIsFlaggedWhateverTheShortDelaySays() {
        var limited = assertInstanceOf(ProviderOutcome.RateLimited.class, Classification.classify(new ProviderError("gemini", 429,
                "RESOURCE_EXHAUSTED", "quota", Optional.of(Duration.ofSeconds(41)), Optional.of("GenerateRequestsPerDayPerProjectPerModel"))));
        assertTrue(limited.perDay());
        assertEquals(Optional.of(Duration.ofSeconds(41)), limited.retryAfter());

        var perMinute = assertInstanceOf(ProviderOutcome.RateLimited.class, Classification.classify(new ProviderError("gemini", 429,
                "RESOURCE_EXHAUSTED", "quota", Optional.of(Duration.ofSeconds(27)), Optional.of("GenerateRequestsPerMinutePerProjectPerModel"))));
        assertFalse(perMinute.perDay());
    }

    /** What a provider says can carry account ids, role ARNs or its whole body: callers get a fixed text instead. */
    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @MethodSource("oneExamplePerRow")
    void theCallersMessageIsAFixedTextAndTheProvidersOwnStaysInTheLog(String provider, int status, String code, String type) {
        String named = provider.equals("*") ? "gemini" : provider;
        String secret = "User: arn:aws:sts::123456789012:assumed-role/pacer-worker/i-0abc is not authorized; body {\"error\":…}";
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(Classification.class.getName());
        log.addHandler(capture);
        try {
            ProviderOutcome.Failure failure = Classification.classify(ProviderError.of(named, status, code, secret));

            String where = status == 0 ? named : named + " " + status;
            assertEquals(where + " " + code + ": " + Classification.says(type), failure.message());
            assertFalse(failure.error().message().contains("123456789012"), failure::message);
            assertTrue(logged.stream().anyMatch(line -> line.contains(secret) && line.contains(type)), logged::toString);
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void aQuotaIdIsNamedAndACodeThatIsNoIdentifierIsNot() {
        var limited = Classification.classify(new ProviderError("gemini", 429, "RESOURCE_EXHAUSTED", "quota exceeded for project 123456789012",
                Optional.of(Duration.ofSeconds(41)), Optional.of("GenerateRequestsPerDayPerProjectPerModel")));
        assertEquals("gemini 429 RESOURCE_EXHAUSTED [quota GenerateRequestsPerDayPerProjectPerModel]: "
                + "the account's rate limit at the provider was reached", limited.message());

        var odd = Classification.classify(ProviderError.of("openai", 400, "see arn:aws:iam::123456789012:role/x for details", "bad"));
        assertEquals("openai 400 (unrecognised code): the provider refused the request as invalid", odd.message());
    }

    @Test
    void everyTypeOfTheTableHasItsOwnFixedText() {
        for (Classification.Row row : Classification.ROWS) {
            assertFalse(Classification.says(row.type()).equals(Classification.says("no such type")), row::toString);
        }
    }

    private static Arguments example(String provider, int status, String code, String type) {
        return Arguments.of(provider, status, code, type);
    }
}
