package dev.pacer.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider as strict as the real ones: per key (account), at most {@code rpm} requests in any rolling 60 s,
 * counted on arrival; over it, a Gemini-style 429 RESOURCE_EXHAUSTED with RetryInfo.retryDelay. Within it, one
 * image after {@code latency}.
 */
final class StrictProvider implements AutoCloseable {

    private final HttpServer server;
    private final int rpm;
    private final Duration latency;
    private final Map<String, Deque<Long>> arrivals = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> tooMany = new ConcurrentHashMap<>();

    StrictProvider(int rpm, Duration latency) {
        this.rpm = rpm;
        this.latency = latency;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1beta/models/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        if (!admit(key)) {
            tooMany.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            respond(exchange, 429, """
                    {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[\
                    {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel","quotaValue":"%d"}]},\
                    {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"%ds"}]}}""".formatted(rpm, retryDelaySeconds(key)));
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, 200, "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},\"finishReason\":\"STOP\"}]}");
    }

    private boolean admit(String key) {
        Deque<Long> times = arrivals.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            long now = System.nanoTime();
            while (!times.isEmpty() && now - times.peekFirst() >= Duration.ofSeconds(60).toNanos()) {
                times.removeFirst();
            }
            if (times.size() >= rpm) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    /** When the oldest request in the window leaves it, rounded up, as Gemini's RetryInfo roughly says. */
    private long retryDelaySeconds(String key) {
        Deque<Long> times = arrivals.get(key);
        synchronized (times) {
            long oldest = times.isEmpty() ? System.nanoTime() : times.peekFirst();
            long left = Duration.ofSeconds(60).toNanos() - (System.nanoTime() - oldest);
            return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
