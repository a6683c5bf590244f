package dev.pacer.localrun.httpapi;

import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.lambda.TraceId;
import dev.pacer.localrun.moto.MotoServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * API Gateway HTTP API in front of functions: each request on a declared route becomes a payload format 2.0 event for
 * the route's function, whose answer becomes the HTTP response. Other paths get API Gateway's own 404. Authorization
 * (AWS_IAM or JWT in the template, as its ApiAuth parameter says) is not checked locally and no authorizer context is
 * sent: the functions name the caller from a header instead ({@link dev.pacer.localrun.LocalRunOptions#LOCAL_CALLER_HEADER}).
 */
public final class HttpApiGateway implements AutoCloseable {

    /** API Gateway's hard integration timeout. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    static final String API_ID = "local";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final Map<String, LocalFunction> functions;
    private final List<HttpApiRoute> routes;
    private final HttpServer server;
    private final ExecutorService executor;

    /** {@code functions} by logical id: every function a route names. */
    public HttpApiGateway(Map<String, LocalFunction> functions, List<HttpApiRoute> routes, int port) {
        this.functions = Map.copyOf(functions);
        this.routes = List.copyOf(routes);
        routes.stream().filter(route -> !functions.containsKey(route.functionLogicalId())).findFirst().ifPresent(route -> {
            throw new IllegalArgumentException(route.routeKey() + " calls " + route.functionLogicalId() + ", which is not running");
        });
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "http-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String decodedPath = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            HttpApiRoute route = null;
            Map<String, String> pathParameters = Map.of();
            for (HttpApiRoute candidate : routes) {
                Optional<Map<String, String>> match = candidate.match(method, decodedPath);
                if (match.isPresent()) {
                    route = candidate;
                    pathParameters = match.get();
                    break;
                }
            }
            if (route == null) {
                send(exchange, requestId, 404, Map.of("content-type", "application/json"), bytes("{\"message\":\"Not Found\"}"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] event = JSON.writeValueAsBytes(event(exchange, requestId, route, pathParameters, body));
            byte[] result;
            try {
                LocalFunction function = functions.get(route.functionLogicalId());
                result = function.invoke(event).get(INTEGRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                send(exchange, requestId, 503, Map.of("content-type", "application/json"), bytes("{\"message\":\"Service Unavailable\"}"));
                return;
            } catch (ExecutionException e) {
                send(exchange, requestId, 500, Map.of("content-type", "application/json"), bytes("{\"message\":\"Internal Server Error\"}"));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            writeResult(exchange, requestId, result);
        }
    }

    private ObjectNode event(HttpExchange exchange, String requestId, HttpApiRoute route, Map<String, String> pathParameters,
            byte[] body) {
        Instant now = Instant.now();
        String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        event.put("rawQueryString", rawQuery);
        ObjectNode headers = event.putObject("headers");
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                // payload 2.0 moves cookies out of the headers into their own array
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.put("x-forwarded-for", sourceIp);
        headers.put("x-forwarded-port", Integer.toString(port()));
        headers.put("x-forwarded-proto", "http");
        headers.put("x-amzn-trace-id", TraceId.next().split(";")[0]);
        if (!cookies.isEmpty()) {
            ArrayNode cookieArray = event.putArray("cookies");
            cookies.forEach(cookieArray::add);
        }
        Map<String, String> query = queryParameters(rawQuery);
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode pathNode = event.putObject("pathParameters");
            pathParameters.forEach(pathNode::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", MotoServer.ACCOUNT_ID);
        context.put("apiId", API_ID);
        context.put("domainName", headers.has("host") ? headers.get("host").asText() : "localhost");
        context.put("domainPrefix", API_ID);
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.has("user-agent") ? headers.get("user-agent").asText() : "");
        context.put("requestId", requestId);
        context.put("routeKey", route.routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (body.length > 0) {
            boolean text = isText(headers.has("content-type") ? headers.get("content-type").asText() : "");
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** Repeated parameters are joined with commas, as in payload 2.0. */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String value = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.contains("x-www-form-urlencoded") || type.contains("charset=");
    }

    /** Reads the v2 response; a result without statusCode is the body of a 200, as API Gateway infers it. */
    private void writeResult(HttpExchange exchange, String requestId, byte[] result) throws IOException {
        JsonNode response;
        try {
            response = JSON.readTree(result);
        } catch (IOException notJson) {
            response = null;
        }
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            send(exchange, requestId, 200, Map.of("content-type", "application/json"), result);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        response.path("multiValueHeaders").fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            headers.merge(e.getKey(), String.join(",", values), (a, b) -> a);
        });
        JsonNode bodyNode = response.get("body");
        byte[] body = bodyNode == null || bodyNode.isNull() ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyNode.asText())
                : bytes(bodyNode.asText());
        List<String> cookies = new ArrayList<>();
        response.path("cookies").forEach(c -> cookies.add(c.asText()));
        for (String cookie : cookies) {
            exchange.getResponseHeaders().add("set-cookie", cookie);
        }
        send(exchange, requestId, response.get("statusCode").asInt(), headers, body);
    }

    private static void send(HttpExchange exchange, String requestId, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("apigw-requestid", requestId);
        boolean noBody = body.length == 0 || status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
