package dev.pacer.providers.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini, OpenAI and Bedrock on one loopback port, answering with their exact JSON. The case is
 * chosen by a {@code [case:NAME]} marker in the prompt; no marker means {@code success}. The answer
 * is the resource {@code /fake-providers/{provider}/{NAME}.json}; a name starting with a status
 * ({@code 429-per-day}) answers with that status; {@code hang} never answers and {@code drop} hangs up halfway through its answer.
 * {@code hang-first} never answers the first request with that prompt and answers later ones with {@code success}
 * (a worker that dies mid-call, then a retry that works). {@code [cases:A,B,C]} answers the first request with that
 * body with case A, the second with B, and every later one with C (one of a job's several Gemini requests failing).
 * {@code trickle} sends a 200's headers at once and then its body one byte a second (a provider, or a proxy, that
 * stalls after the headers). {@code large-4k} answers Gemini's 200 with one image of a real 4K size
 * ({@link #largeImage()}: 26 MB of random bytes, 35 million base64 characters). {@code slow-NAME} answers as
 * {@code NAME} after 1.5 s; {@link #mostAtOnce()} tells how many requests it was answering at one time.
 * Every OpenAI answer carries OpenAI's {@code x-ratelimit-*} headers.
 */
public final class FakeProviderServer implements AutoCloseable {

    /** @param bytes the body as sent: a multipart edit's files are binary, which {@code body} as UTF-8 text is not */
    public record Received(String provider, String method, String path, Map<String, List<String>> headers, String body, byte[] bytes) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final Pattern CASE = Pattern.compile("\\[case:([A-Za-z0-9-]+)]");
    private static final Pattern CASES = Pattern.compile("\\[cases:([A-Za-z0-9,-]+)]");
    private static final Pattern STATUS = Pattern.compile("^(\\d{3})-(.*)$");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-provider");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> hungFirst = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger atOnce = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

    private FakeProviderServer(HttpServer server) {
        this.server = server;
    }

    public static FakeProviderServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeProviderServer fake = new FakeProviderServer(server);
            server.createContext("/", fake::answer);
            server.setExecutor(fake.executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake provider", e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedWith(String marker) {
        return received.stream().filter(r -> r.body().contains(marker)).toList();
    }

    /** The most requests this server was answering at one time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String provider = path.startsWith("/v1beta/") ? "gemini" : path.startsWith("/v1/images/") ? "openai"
                    : path.startsWith("/model/") ? "bedrock" : "unknown";
            received.add(new Received(provider, exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body, bytes));
            Matcher marker = CASE.matcher(body);
            Matcher sequence = CASES.matcher(body);
            String name = marker.find() ? marker.group(1) : sequence.find() ? nth(sequence.group(1).split(","), seen.merge(body, 1, Integer::sum)) : "success";
            if (name.startsWith("slow-")) {
                Thread.sleep(1500);
                name = name.substring("slow-".length());
            }
            if (name.equals("hang-first")) {
                name = hungFirst.add(body) ? "hang" : "success";
            }
            if (name.equals("hang")) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            if (name.equals("trickle")) {
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
                exchange.sendResponseHeaders(200, 4096);
                OutputStream out = exchange.getResponseBody();
                byte[] start = "{\"candidates\": [".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 60 && !closed.await(1, TimeUnit.SECONDS); i++) {
                    out.write(start[i % start.length]);
                    out.flush();
                }
                return;
            }
            if (name.equals("large-4k")) {
                sendLargeImage(exchange);
                return;
            }
            if (name.equals("drop")) {
                // promises a body, sends part of it, and hangs up: the request was received
                exchange.sendResponseHeaders(200, 4096);
                exchange.getResponseBody().write("{\"candidates\": [".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                return;
            }
            Optional<String> fixture = fixture(provider, name);
            if (fixture.isEmpty()) {
                send(exchange, 500, "{\"error\":\"the fake has no case " + provider + "/" + name + "\"}");
                return;
            }
            Matcher status = STATUS.matcher(name);
            int code = status.matches() ? Integer.parseInt(status.group(1)) : 200;
            if (provider.equals("bedrock") && status.matches()) {
                // Bedrock's REST-JSON protocol names the exception in a header: 429-ThrottlingException
                exchange.getResponseHeaders().add("x-amzn-ErrorType", status.group(2).split("-")[0] + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
            }
            if (provider.equals("openai")) {
                rateLimitHeaders(exchange, code == 429 && name.contains("rate-limit"));
            }
            send(exchange, code, fixture.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            atOnce.decrementAndGet();
        }
    }

    private static void sendLargeImage(HttpExchange exchange) throws IOException {
        byte[] head = "{\"candidates\": [{\"content\": {\"parts\": [{\"inlineData\": {\"mimeType\": \"image/png\", \"data\": \""
                .getBytes(StandardCharsets.UTF_8);
        byte[] data = java.util.Base64.getEncoder().encode(largeImage());
        byte[] tail = "\"}}], \"role\": \"model\"}, \"finishReason\": \"STOP\"}], \"usageMetadata\": {\"promptTokenCount\": 11, \"candidatesTokenCount\": 2000, \"totalTokenCount\": 2011}}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(200, (long) head.length + data.length + tail.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            out.write(data);
            out.write(tail);
        }
    }

    /** The image {@code large-4k} answers with: as incompressible as a photograph, the size of a 4096 × 4096 PNG. */
    public static byte[] largeImage() {
        return LargeImage.BYTES;
    }

    /** Made on first use only: 26 MB. */
    private static final class LargeImage {
        static final byte[] BYTES = make();

        private static byte[] make() {
            byte[] image = new byte[26 * 1024 * 1024];
            new java.util.Random(4096).nextBytes(image);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, image, 0, 8);
            return image;
        }
    }

    /**
     * The headers every OpenAI answer carries (a Tier 5 organisation's gpt-image-1: 250 a minute, 8M tokens); a
     * rate-limit 429 has none of its requests left for 20 s and says so in {@code retry-after} too.
     */
    private static void rateLimitHeaders(HttpExchange exchange, boolean limited) {
        var headers = exchange.getResponseHeaders();
        headers.add("x-ratelimit-limit-requests", "250");
        headers.add("x-ratelimit-limit-tokens", "8000000");
        headers.add("x-ratelimit-remaining-requests", limited ? "0" : "249");
        headers.add("x-ratelimit-remaining-tokens", limited ? "7996840" : "7987600");
        headers.add("x-ratelimit-reset-requests", limited ? "20s" : "240ms");
        headers.add("x-ratelimit-reset-tokens", "93ms");
        if (limited) {
            headers.add("retry-after", "20");
        }
    }

    private static String nth(String[] cases, int n) {
        return cases[Math.min(n, cases.length) - 1];
    }

    private static Optional<String> fixture(String provider, String name) throws IOException {
        try (InputStream in = FakeProviderServer.class.getResourceAsStream("/fake-providers/" + provider + "/" + name + ".json")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
