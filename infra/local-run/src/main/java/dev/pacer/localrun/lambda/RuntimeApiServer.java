package dev.pacer.localrun.lambda;

import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API (2018-06-01) for one function instance, on a loopback port: the runtime inside the child
 * process long-polls {@code invocation/next} and posts the response or error; we complete the invocation's future.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private final String functionArn;
    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CountDownLatch initialised = new CountDownLatch(1);
    private volatile String initError;

    RuntimeApiServer(String functionName) {
        this.functionArn = "arn:aws:lambda:" + AwsClients.REGION + ":"
                + MotoServer.ACCOUNT_ID + ":function:" + functionName;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // invocation/next blocks while the function is idle, so handlers need their own threads
        executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "runtime-api-" + functionName);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void submit(Invocation invocation) {
        pending.add(invocation);
    }

    /** True once the runtime finished its init phase and asked for work (or reported an init error). */
    boolean awaitInitialised(long timeout, TimeUnit unit) throws InterruptedException {
        return initialised.await(timeout, unit);
    }

    /** The error document the runtime posted to init/error, if any. */
    String initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError = new String(readBody(exchange), StandardCharsets.UTF_8);
                initialised.countDown();
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                Invocation invocation = parts.length == 3 ? inFlight.remove(parts[1]) : null;
                byte[] body = readBody(exchange);
                if (invocation == null) {
                    respond(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                } else if (parts[2].equals("response")) {
                    invocation.result().complete(body);
                    respond(exchange, 202, "{\"status\":\"OK\"}");
                } else if (parts[2].equals("error")) {
                    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                    invocation.result().completeExceptionally(new FunctionErrorException(
                            type == null ? "Unhandled" : type, new String(body, StandardCharsets.UTF_8)));
                    respond(exchange, 202, "{\"status\":\"OK\"}");
                } else {
                    respond(exchange, 404, "{\"errorMessage\":\"not found\"}");
                }
            } else {
                respond(exchange, 404, "{\"errorMessage\":\"not found\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        initialised.countDown();
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException shuttingDown) {
            Thread.currentThread().interrupt();
            respond(exchange, 500, "{\"errorMessage\":\"shutting down\"}");
            return;
        }
        inFlight.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadline().toEpochMilli()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.add("Lambda-Runtime-Trace-Id", TraceId.next());
        exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
