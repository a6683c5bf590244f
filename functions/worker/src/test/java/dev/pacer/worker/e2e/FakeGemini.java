package dev.pacer.worker.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict stand-in for the Gemini API: {@code POST /v1beta/models/{model}:generateContent} with
 * {@code x-goog-api-key}; each key is a project with its own rolling window of {@code rpm} requests per
 * {@code minute} (scaled down in tests), counted on arrival. Over the limit it answers 429 with Gemini's
 * RESOURCE_EXHAUSTED body (QuotaFailure with a PerMinute quotaId, Help, RetryInfo); within it, after
 * {@code latency}, a 200 with one inlineData PNG part.
 */
final class FakeGemini implements AutoCloseable {

    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private final HttpServer server;
    private final int rpm;
    private final Duration minute;
    private final Duration latency;
    private final Map<String, Deque<Long>> arrivals = new HashMap<>();
    final AtomicInteger generated = new AtomicInteger();
    final AtomicInteger tooManyRequests = new AtomicInteger();

    FakeGemini(int rpm, Duration minute, Duration latency) {
        this.rpm = rpm;
        this.minute = minute;
        this.latency = latency;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1beta/models/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        String path = exchange.getRequestURI().getPath();
        if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(":generateContent") || key == null) {
            respond(exchange, 400, "{\"error\":{\"code\":400,\"message\":\"bad request\",\"status\":\"INVALID_ARGUMENT\"}}");
            return;
        }
        String model = path.substring("/v1beta/models/".length(), path.length() - ":generateContent".length());
        if (!admit(key)) {
            tooManyRequests.incrementAndGet();
            respond(exchange, 429, tooManyBody(model));
            return;
        }
        sleep(latency);
        generated.incrementAndGet();
        respond(exchange, 200, """
                {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"%s"}}],"role":"model"},\
                "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290,\
                "totalTokenCount":1302},"modelVersion":"%s"}""".formatted(Base64.getEncoder().encodeToString(PNG), model));
    }

    /** The rolling window, counted when a request arrives: more than rpm in any `minute` is refused. */
    private synchronized boolean admit(String key) {
        long now = System.nanoTime();
        Deque<Long> times = arrivals.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= minute.toNanos()) {
            times.removeFirst();
        }
        if (times.size() >= rpm) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    private String tooManyBody(String model) {
        return """
                {
                  "error": {
                    "code": 429,
                    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_paid_tier_requests, limit: %d, model: %s\\nPlease retry in 23.459224s.",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [
                      {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [
                          {
                            "quotaMetric": "generativelanguage.googleapis.com/generate_content_paid_tier_requests",
                            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel",
                            "quotaDimensions": {
                              "location": "global",
                              "model": "%s"
                            },
                            "quotaValue": "%d"
                          }
                        ]
                      },
                      {
                        "@type": "type.googleapis.com/google.rpc.Help",
                        "links": [
                          {
                            "description": "Learn more about Gemini API quotas",
                            "url": "https://ai.google.dev/gemini-api/docs/rate-limits"
                          }
                        ]
                      },
                      {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": "23s"
                      }
                    ]
                  }
                }
                """.formatted(rpm, model, model, rpm);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
