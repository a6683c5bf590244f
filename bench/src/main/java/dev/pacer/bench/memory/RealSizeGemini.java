package dev.pacer.bench.memory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gemini's {@code generateContent} answering every request, after {@code latency}, with one image of a real 4K size:
 * {@code imageBytes} of random bytes behind a PNG signature (as incompressible as a photograph), as base64 in
 * {@code inlineData.data}, with the answer's other fields around it. The answer is encoded once and held here, in the
 * benchmark's process, so that only the worker's own copies count in the worker's heap.
 */
public final class RealSizeGemini implements AutoCloseable {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "real-size-gemini");
        t.setDaemon(true);
        return t;
    });
    private final byte[] head;
    private final byte[] data;
    private final byte[] tail;
    private final Duration latency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();

    public RealSizeGemini(int imageBytes, Duration latency) {
        this.latency = latency;
        byte[] image = new byte[imageBytes];
        new Random(4096).nextBytes(image);
        System.arraycopy(PNG_SIGNATURE, 0, image, 0, Math.min(PNG_SIGNATURE.length, imageBytes));
        this.data = Base64.getEncoder().encode(image);
        this.head = """
                {"candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "image/png", "data": \"""".getBytes(StandardCharsets.UTF_8);
        this.tail = """
                "}}], "role": "model"}, "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 2000, "totalTokenCount": 2011},
                 "modelVersion": "real-size-fake"}""".getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/v1beta/models/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The base64 text of one answer's image, in characters. */
    public int base64Length() {
        return data.length;
    }

    /** The answers sent in full. */
    public int answered() {
        return answered.get();
    }

    /** The most requests this server was answering at one time. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Thread.sleep(latency.toMillis());
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(200, (long) head.length + data.length + tail.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(head);
                out.write(data);
                out.write(tail);
            }
            answered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
