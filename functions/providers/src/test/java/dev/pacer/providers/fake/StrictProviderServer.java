package dev.pacer.providers.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini and OpenAI as strict as the real ones, on one loopback port: each key is an account (a Gemini project, an
 * OpenAI organisation) with its own limit of requests per minute, counted on arrival in a rolling minute and, where
 * the limit says so, over shorter sub-windows as well (OpenAI may enforce 60 a minute as 1 a second: here at most
 * ceil(rpm × S / 60) in any S). Refused requests are not counted. Over the limit it answers as the providers do:
 * Gemini's 429 RESOURCE_EXHAUSTED with QuotaFailure (quotaId, quotaValue) and RetryInfo, OpenAI's 429
 * rate_limit_exceeded with {@code retry-after}; every OpenAI answer carries the {@code x-ratelimit-*} headers, as
 * the provider states its per-minute limit however it enforces it. Within the limit, after {@code latency}, one image
 * per Gemini request and {@code n} per OpenAI request, with usage.
 *
 * <p>{@code minute} may be scaled down (tests and benchmarks that scale the ledger's window with it).
 */
public final class StrictProviderServer implements AutoCloseable {

    /** An account's limit: {@code rpm} a minute, and as much of it over every {@code subWindow} (empty: the minute only). */
    public record Limit(int rpm, java.util.Optional<Duration> subWindow) {
        public static Limit perMinute(int rpm) {
            return new Limit(rpm, java.util.Optional.empty());
        }

        public static Limit overSubWindows(int rpm, Duration subWindow) {
            return new Limit(rpm, java.util.Optional.of(subWindow));
        }
    }

    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern N = Pattern.compile("\"n\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "strict-provider");
        t.setDaemon(true);
        return t;
    });
    private final Function<String, Limit> limits;
    private final Duration minute;
    private final Duration latency;
    private final Map<String, Deque<Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tooMany = new ConcurrentHashMap<>();

    private StrictProviderServer(HttpServer server, Function<String, Limit> limits, Duration minute, Duration latency) {
        this.server = server;
        this.limits = limits;
        this.minute = minute;
        this.latency = latency;
    }

    /** {@code limits}: each key's limit (a key it does not know gets what the function gives for it). */
    public static StrictProviderServer start(Function<String, Limit> limits, Duration minute, Duration latency) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            StrictProviderServer strict = new StrictProviderServer(http, limits, minute, latency);
            http.createContext("/", strict::answer);
            http.setExecutor(strict.executor);
            http.start();
            return strict;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests of {@code key} answered with images. */
    public int served(String key) {
        return served.getOrDefault(key, new AtomicInteger()).get();
    }

    /** Requests of {@code key} answered 429. */
    public int tooMany(String key) {
        return tooMany.getOrDefault(key, new AtomicInteger()).get();
    }

    /**
     * Another app on the same account spends one request, as pacer's would be counted: true when the provider took it.
     * It is not counted in {@link #served} or {@link #tooMany}.
     */
    public boolean spendAsAnotherApp(String key) {
        return admit(key) == 0;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            boolean gemini = path.startsWith("/v1beta/models/") && path.endsWith(":generateContent");
            boolean openai = path.equals("/v1/images/generations");
            String key = gemini ? exchange.getRequestHeaders().getFirst("x-goog-api-key")
                    : bearer(exchange.getRequestHeaders().getFirst("Authorization"));
            if ((!gemini && !openai) || key == null) {
                send(exchange, 400, "{\"error\":{\"code\":400,\"message\":\"bad request\",\"status\":\"INVALID_ARGUMENT\"}}");
                return;
            }
            String model = gemini ? path.substring("/v1beta/models/".length(), path.length() - ":generateContent".length())
                    : first(MODEL, body, "gpt-image-1");
            long waitNanos = admit(key);
            Limit limit = limits.apply(key);
            if (waitNanos > 0) {
                tooMany.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                if (openai) {
                    rateLimitHeaders(exchange, key, limit);
                    exchange.getResponseHeaders().add("retry-after", Long.toString(seconds));
                    send(exchange, 429, openAiTooMany(model, limit.rpm(), seconds));
                } else {
                    send(exchange, 429, geminiTooMany(model, limit.rpm(), seconds));
                }
                return;
            }
            sleep(latency);
            served.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (openai) {
                rateLimitHeaders(exchange, key, limit);
                send(exchange, 200, openAiImages(Integer.parseInt(first(N, body, "1"))));
            } else {
                send(exchange, 200, geminiImage(model));
            }
        }
    }

    /** 0 when the request is within every window (and counted), else how long until it would be. */
    private long admit(String key) {
        Limit limit = limits.apply(key);
        Deque<Long> times = arrivals.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            long now = System.nanoTime();
            long minuteNanos = minute.toNanos();
            while (!times.isEmpty() && now - times.peekFirst() >= minuteNanos) {
                times.removeFirst();
            }
            long wait = waitFor(times, now, minuteNanos, limit.rpm());
            if (limit.subWindow().isPresent()) {
                long sub = scaled(limit.subWindow().get());
                int perSub = (int) Math.ceil(limit.rpm() * (double) sub / minuteNanos - 1e-9);
                wait = Math.max(wait, waitFor(times, now, sub, perSub));
            }
            if (wait == 0) {
                times.addLast(now);
            }
            return wait;
        }
    }

    /** A sub-window is given in real seconds of a 60 s minute: it scales with {@code minute}. */
    private long scaled(Duration subWindow) {
        return (long) (subWindow.toNanos() * (minute.toNanos() / (double) Duration.ofSeconds(60).toNanos()));
    }

    /** Within {@code limit} over the last {@code window}: 0; else the time until the oldest that matters leaves. */
    private static long waitFor(Deque<Long> times, long now, long window, int limit) {
        long inside = times.stream().filter(t -> now - t < window).count();
        if (inside < limit) {
            return 0;
        }
        long[] recent = times.stream().filter(t -> now - t < window).mapToLong(Long::longValue).toArray();
        long oldest = recent[(int) (inside - limit)];
        return Math.max(1, window - (now - oldest));
    }

    /** What OpenAI states with every answer: the per-minute limit, what is left of it, and when it is whole again. */
    private void rateLimitHeaders(HttpExchange exchange, String key, Limit limit) {
        Deque<Long> times = arrivals.computeIfAbsent(key, k -> new ArrayDeque<>());
        long used;
        long resetMillis;
        synchronized (times) {
            long now = System.nanoTime();
            used = times.stream().filter(t -> now - t < minute.toNanos()).count();
            resetMillis = times.isEmpty() ? 0 : Math.max(0, (minute.toNanos() - (now - times.peekFirst())) / 1_000_000);
        }
        var headers = exchange.getResponseHeaders();
        headers.add("x-ratelimit-limit-requests", Integer.toString(limit.rpm()));
        headers.add("x-ratelimit-limit-tokens", "8000000");
        headers.add("x-ratelimit-remaining-requests", Long.toString(Math.max(0, limit.rpm() - used)));
        headers.add("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, 8_000_000 - used * 6_256)));
        headers.add("x-ratelimit-reset-requests", resetMillis >= 1000 ? (resetMillis / 1000) + "s" : resetMillis + "ms");
        headers.add("x-ratelimit-reset-tokens", "60ms");
    }

    private static String geminiTooMany(String model, int rpm, long retrySeconds) {
        return """
                {
                  "error": {
                    "code": 429,
                    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_requests_per_model, limit: %1$d, model: %2$s\\nPlease retry in %3$d.000000s.",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [
                      {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [
                          {
                            "quotaMetric": "generativelanguage.googleapis.com/generate_requests_per_model",
                            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel",
                            "quotaDimensions": {
                              "location": "global",
                              "model": "%2$s"
                            },
                            "quotaValue": "%1$d"
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
                        "retryDelay": "%3$ds"
                      }
                    ]
                  }
                }
                """.formatted(rpm, model, retrySeconds);
    }

    private static String openAiTooMany(String model, int rpm, long retrySeconds) {
        return """
                {
                  "error": {
                    "message": "Rate limit reached for %1$s in organization org-pacer0000000000000000 on requests per min (RPM): Limit %2$d, Used %2$d, Requested 1. Please try again in %3$ds. Visit https://platform.openai.com/account/rate-limits to learn more.",
                    "type": "requests",
                    "param": null,
                    "code": "rate_limit_exceeded"
                  }
                }
                """.formatted(model, rpm, retrySeconds);
    }

    private static String geminiImage(String model) {
        return """
                {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"%s"}}],"role":"model"},\
                "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290,\
                "totalTokenCount":1302},"modelVersion":"%s"}""".formatted(Base64.getEncoder().encodeToString(PNG), model);
    }

    private static String openAiImages(int n) {
        String image = "{\"b64_json\":\"" + Base64.getEncoder().encodeToString(PNG) + "\"}";
        return "{\"created\":1764000000,\"data\":[" + String.join(",", java.util.Collections.nCopies(n, image))
                + "],\"output_format\":\"png\",\"usage\":{\"input_tokens\":16,\"output_tokens\":" + (6240 * n)
                + ",\"total_tokens\":" + (16 + 6240 * n) + "}}";
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    private static String first(Pattern pattern, String text, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
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
        executor.shutdownNow();
    }
}
