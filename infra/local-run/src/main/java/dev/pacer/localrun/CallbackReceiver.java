package dev.pacer.localrun;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP endpoint that takes pacer's completion callbacks, for tests and for trying callbacks on the local
 * run. It answers with the given statuses in turn (the last one from then on) and checks signatures the way a
 * receiver should: HMAC-SHA256 over {@code "<t>.<body>"}, compared in constant time.
 */
public final class CallbackReceiver implements AutoCloseable {

    /** One POST as it arrived; header names in lower case. */
    public record Received(String path, Map<String, String> headers, byte[] body, int answeredWith) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase()));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** True when {@code Pacer-Signature} is {@code t=<seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>}. */
        public boolean signedWith(String key) {
            Map<String, String> parts = new HashMap<>();
            for (String part : header("Pacer-Signature").orElse("").split(",")) {
                String[] pair = part.split("=", 2);
                if (pair.length == 2) {
                    parts.put(pair[0].strip(), pair[1].strip());
                }
            }
            if (!parts.containsKey("t") || !parts.containsKey("v1")) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((parts.get("t") + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = mac.doFinal(body);
                return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private CallbackReceiver(List<Integer> statuses) throws IOException {
        AtomicInteger answered = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = statuses.get(Math.min(answered.getAndIncrement(), statuses.size() - 1));
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
                received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(headers), body, status));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    /** A receiver answering {@code statuses} in turn, then the last one for every later POST; none given means 200. */
    public static CallbackReceiver start(Integer... statuses) {
        try {
            return new CallbackReceiver(statuses.length == 0 ? List.of(200) : List.of(statuses));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI url(String path) {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + path);
    }

    /** The next POST, waiting at most {@code timeout}; empty when none came. */
    public Optional<Received> next(Duration timeout) {
        try {
            return Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
