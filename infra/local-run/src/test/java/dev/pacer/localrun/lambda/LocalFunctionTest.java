package dev.pacer.localrun.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LocalFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deliversTheEventWithTheRuntimeApiHeadersAndReturnsTheResponse() throws Exception {
        try (LocalFunction function = FakeFunctions.start("Echo", Duration.ofSeconds(10), 1, Map.of())) {
            long before = Instant.now().toEpochMilli();
            byte[] result = function.invoke(bytes("{\"version\":\"2.0\",\"rawPath\":\"/hello\"}")).get();

            JsonNode echo = JSON.readTree(JSON.readTree(result).get("body").asText());
            assertEquals("/hello", echo.at("/event/rawPath").asText());
            assertEquals("arn:aws:lambda:us-east-1:123456789012:function:Echo", echo.at("/runtime/lambda-runtime-invoked-function-arn").asText());
            long deadline = echo.at("/runtime/lambda-runtime-deadline-ms").asLong();
            long after = Instant.now().toEpochMilli();
            // the clock starts when the event is handed over, after the cold start, as in Lambda
            assertTrue(deadline >= before + 10_000 && deadline <= after + 10_000, "deadline = hand-over + timeout");
            assertTrue(echo.at("/runtime/lambda-runtime-trace-id").asText().startsWith("Root=1-"));
            assertTrue(!echo.at("/runtime/lambda-runtime-aws-request-id").asText().isEmpty());
        }
    }

    @Test
    void anInvocationErrorFailsTheFutureWithTheFunctionsErrorType() {
        try (LocalFunction function = FakeFunctions.start("Failing", Duration.ofSeconds(10), 1, Map.of())) {
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> function.invoke(bytes("{\"rawPath\":\"/fail\"}")).get());

            FunctionErrorException functionError = assertInstanceOf(FunctionErrorException.class, error.getCause());
            assertEquals("FakeError", functionError.errorType());
        }
    }

    @Test
    void anInvocationPastTheTimeoutFailsAndTheNextGetsAFreshInstance() throws Exception {
        try (LocalFunction function = FakeFunctions.start("Slow", Duration.ofSeconds(2), 1, Map.of())) {
            function.prewarm();
            Instant start = Instant.now();
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> function.invoke(bytes("{\"rawPath\":\"/slow\"}")).get());

            assertInstanceOf(FunctionTimeoutException.class, error.getCause());
            assertTrue(error.getCause().getMessage().contains("Task timed out after 2.00 seconds"));
            assertTrue(Duration.between(start, Instant.now()).toMillis() < 6_000);
            byte[] next = function.invoke(bytes("{\"rawPath\":\"/ok\"}")).get();
            assertEquals(200, JSON.readTree(next).get("statusCode").asInt());
        }
    }

    @Test
    void anInitErrorFailsTheInvocation() {
        try (LocalFunction function = FakeFunctions.start("Broken", Duration.ofSeconds(5), 1, Map.of("FAKE_INIT_ERROR", "1"))) {
            ExecutionException error = assertThrows(ExecutionException.class, () -> function.invoke(bytes("{}")).get());

            FunctionErrorException functionError = assertInstanceOf(FunctionErrorException.class, error.getCause());
            assertEquals("Runtime.InitError", functionError.errorType());
        }
    }

    @Test
    void concurrentInvocationsUseSeparateInstances() throws Exception {
        try (LocalFunction function = FakeFunctions.start("Pair", Duration.ofSeconds(10), 2, Map.of())) {
            var first = function.invoke(bytes("{\"rawPath\":\"/a\"}"));
            var second = function.invoke(bytes("{\"rawPath\":\"/b\"}"));

            assertEquals(200, JSON.readTree(first.get()).get("statusCode").asInt());
            assertEquals(200, JSON.readTree(second.get()).get("statusCode").asInt());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
