package dev.pacer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pacer's HTTP API (v1) as the CLI uses it. Transient failures (connection errors, 429, 502–504) are retried a
 * few times with backoff: safe for reads, and for submissions because each carries an Idempotency-Key. The 429 of
 * the per-caller cap is not transient: it lasts until the caller's jobs finish, so it is reported at once.
 */
final class PacerApi {

    private static final Set<Integer> TRANSIENT = Set.of(429, 502, 503, 504);
    private static final String CAP_REACHED = "urn:pacer:problem:too-many-unfinished-jobs";
    private static final int ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    private final URI base;
    private final Optional<SigV4> signer;
    private final HttpClient http;

    PacerApi(URI base, Optional<SigV4> signer) {
        this.base = base;
        this.signer = signer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    URI base() {
        return base;
    }

    record Accepted(String id, String status, boolean replayed) {
    }

    /** POST /v1/generations; a 4xx is an {@link ApiProblem} with the server's detail and field. */
    Accepted submit(ObjectNode body, String idempotencyKey) {
        HttpResponse<String> response = exchange("POST", "/v1/generations", Json.write(body).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
        JsonNode accepted = expectOk(response);
        return new Accepted(accepted.path("id").asText(), accepted.path("status").asText(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false));
    }

    /** POST /v1/uploads: the upload's id and the form to POST the file to. */
    JsonNode createUpload(String contentType, long bytes) {
        byte[] body = Json.write(Json.object().put("contentType", contentType).put("bytes", bytes)).getBytes(StandardCharsets.UTF_8);
        return expectOk(exchange("POST", "/v1/uploads", body, Map.of("Content-Type", "application/json")));
    }

    /**
     * The file through an upload form: multipart/form-data with the form's fields in order, then the file, streamed
     * from disk. Not signed: the form carries its own signature, and S3 refuses anything its policy does not allow.
     */
    void postForm(URI url, Map<String, String> fields, Path file, String contentType) {
        String boundary = "pacer-cli-" + java.util.UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(file.getFileName()).append("\"\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head.toString()),
                    HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build();
        HttpResponse<String> response = withRetries(url, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() / 100 != 2) {
            throw new ApiProblem(response.statusCode(), "the upload of " + file + " was refused: " + response.body().strip(), Optional.empty());
        }
    }

    JsonNode generation(String id) {
        return expectOk(exchange("GET", "/v1/generations/" + URLEncoder.encode(id, StandardCharsets.UTF_8), new byte[0], Map.of()));
    }

    /** DELETE /v1/generations/{id}: the job, now CANCELLED; a running or finished job (409) is an {@link ApiProblem}. */
    JsonNode cancel(String id) {
        return expectOk(exchange("DELETE", "/v1/generations/" + URLEncoder.encode(id, StandardCharsets.UTF_8), new byte[0], Map.of()));
    }

    JsonNode quota() {
        return expectOk(exchange("GET", "/v1/quota", new byte[0], Map.of()));
    }

    /** GET /v1/capacity; empty when the server is older and has no such route (404). */
    Optional<JsonNode> capacity(String model, String resolution, Optional<Double> imagesPerMinute) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("model", model);
        query.put("resolution", resolution);
        imagesPerMinute.ifPresent(ipm -> query.put("imagesPerMinute", ipm % 1 == 0 ? String.valueOf(ipm.longValue()) : ipm.toString()));
        StringBuilder path = new StringBuilder("/v1/capacity");
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            path.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            separator = '&';
        }
        HttpResponse<String> response = exchange("GET", path.toString(), new byte[0], Map.of());
        if (response.statusCode() == 404 && !isProblemWithField(response)) {
            return Optional.empty();
        }
        return Optional.of(expectOk(response));
    }

    /** Streams a presigned image URL to a file (no signing: the URL carries its own signature). */
    long download(URI presigned, Path target) {
        HttpRequest request = HttpRequest.newBuilder(presigned).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<Path> response = withRetries(presigned, () -> http.send(request, HttpResponse.BodyHandlers.ofFile(target)));
        if (response.statusCode() != 200) {
            throw new ApiProblem(response.statusCode(), "downloading the image failed (the presigned URL may have expired)",
                    Optional.empty());
        }
        try {
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 404 naming a field is the route answering (say, an unknown model), not a missing route. */
    private static boolean isProblemWithField(HttpResponse<String> response) {
        return ApiProblem.from(response.statusCode(), response.body()).field().isPresent();
    }

    private static JsonNode expectOk(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw ApiProblem.from(response.statusCode(), response.body());
        }
        return Json.read(response.body());
    }

    private HttpResponse<String> exchange(String method, String pathAndQuery, byte[] body, Map<String, String> headers) {
        // appended, not resolved: a base URL with a stage path (https://…/prod) keeps it
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
        return withRetries(uri, () -> http.send(request(method, uri, body, headers), HttpResponse.BodyHandlers.ofString()));
    }

    /** Built anew for every attempt: a SigV4 signature carries the time it was made. */
    private HttpRequest request(String method, URI uri, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        request.header("Accept", "application/json, application/problem+json");
        signer.ifPresent(sigV4 -> sigV4.sign(method, uri, headers, body)
                .forEach((name, values) -> values.forEach(value -> request.header(name, value))));
        return request.build();
    }

    private interface Call<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    private static <T> HttpResponse<T> withRetries(URI uri, Call<T> call) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> response = call.send();
                if (!isTransient(response) || attempt == ATTEMPTS) {
                    return response;
                }
            } catch (IOException e) {
                // nothing listening is not worth waiting for; a dropped connection or a timeout is
                if (attempt == ATTEMPTS || e instanceof java.net.ConnectException) {
                    throw new UncheckedIOException("cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private static boolean isTransient(HttpResponse<?> response) {
        return TRANSIENT.contains(response.statusCode())
                && !(response.statusCode() == 429 && response.body() instanceof String body && body.contains(CAP_REACHED));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
