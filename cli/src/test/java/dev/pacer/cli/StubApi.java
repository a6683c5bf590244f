package dev.pacer.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server on a free port standing in for a pacer API whose answers a test picks by method and path
 * (the query is not part of the match); it records every request as it arrived.
 */
final class StubApi implements AutoCloseable {

    /** A request as it arrived; header names in lower case. */
    record Received(String method, URI uri, Map<String, String> headers, byte[] body) {
    }

    record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    StubApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body.toByteArray()));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                    new Answer(404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no such route\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    StubApi answer(String method, String path, int status, String json) {
        answers.put(method + " " + path, new Answer(status, status / 100 == 2 ? "application/json" : "application/problem+json", json));
        return this;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
