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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the fake Batch API servers share: a loopback HTTP server that records every request it received, and canned
 * failures ({@link #failNext}) answered before the fake's own logic, for 429s and 5xx.
 */
public abstract class FakeBatchServer implements AutoCloseable {

    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Failure(String method, String pathContains, int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-batch");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();

    FakeBatchServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests whose method is {@code method} and whose path (with its query) contains {@code pathContains}. */
    public List<Received> received(String method, String pathContains) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().contains(pathContains)).toList();
    }

    /** The next request of {@code method} whose path contains {@code pathContains} is answered so, and only that one. */
    public synchronized void failNext(String method, String pathContains, int status, String body) {
        failures.add(new Failure(method, pathContains, status, body));
    }

    /** Answers a request; {@code received} is already recorded. */
    abstract void answer(HttpExchange exchange, Received received) throws IOException;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            received.add(request);
            Optional<Failure> failure = takeFailure(request);
            if (failure.isPresent()) {
                send(exchange, failure.get().status(), failure.get().body());
                return;
            }
            answer(exchange, request);
        } catch (RuntimeException bug) {
            send(exchange, 500, "{\"error\":{\"message\":\"the fake failed: " + bug.toString().replace("\"", "'") + "\"}}");
        }
    }

    private synchronized Optional<Failure> takeFailure(Received request) {
        for (Failure failure : failures) {
            if (failure.method().equals(request.method()) && request.path().contains(failure.pathContains())) {
                failures.remove(failure);
                return Optional.of(failure);
            }
        }
        return Optional.empty();
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A fixture of the sync fake, {@code /fake-providers/{provider}/{name}.json}. */
    static Optional<String> fixture(String provider, String name) {
        try (InputStream in = FakeBatchServer.class.getResourceAsStream("/fake-providers/" + provider + "/" + name + ".json")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
