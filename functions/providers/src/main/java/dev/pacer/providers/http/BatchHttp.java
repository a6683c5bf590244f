package dev.pacer.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pacer.core.port.BatchProviderException;
import dev.pacer.providers.Classification;
import dev.pacer.providers.ProviderError;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static dev.pacer.providers.http.JsonHttp.abbreviate;

/**
 * The calls of a provider's Batch API: small JSON calls (create, list, poll, cancel), and transfers (an input file
 * sent, a results file streamed to a reader). A 2xx answer is a value; anything else is a
 * {@link BatchProviderException}, retryable unless {@link Classification} calls the provider's answer a refusal.
 */
public final class BatchHttp {

    /** Turns an error answer into what classification needs, the way the provider's sync adapter reads its errors. */
    public interface ErrorReader {
        ProviderError read(JsonHttp.Answer answer);
    }

    /** Reads a 2xx body as it arrives. */
    public interface BodyReader {
        void read(InputStream body) throws IOException;
    }

    /** A 2xx answer: its headers (the resumable upload's URL is one) and its body as a tree. */
    public record Reply(int status, HttpHeaders headers, JsonNode json) {
    }

    /** A create, list, poll or cancel: seconds. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Sending an input file of up to 2 GB, or waiting for a results file's first bytes. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(15);
    private static final int MAX_ERROR_BODY = 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(BatchHttp.class.getName());

    private final String provider;
    private final HttpClient client;
    private final ErrorReader errors;

    public BatchHttp(String provider, Duration connectTimeout, ErrorReader errors) {
        this.provider = provider;
        this.errors = errors;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A request for a small JSON call. */
    public HttpRequest.Builder call(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT);
    }

    /** A request that sends or fetches a file. */
    public HttpRequest.Builder transfer(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TRANSFER_TIMEOUT);
    }

    /** Sends {@code request} and reads its JSON answer, passing over the fields named in {@code skipped}. */
    public Reply send(HttpRequest request, String what, Set<String> skipped) {
        Reply[] reply = new Reply[1];
        exchange(request, what, (response, body) -> {
            JsonNode json = DecodedJson.read(body, Set.of(), skipped);
            reply[0] = new Reply(response.statusCode(), response.headers(), json);
        });
        return reply[0];
    }

    /** Sends {@code request} and hands its 2xx body to {@code reader} as it arrives. */
    public void read(HttpRequest request, String what, BodyReader reader) {
        exchange(request, what, (response, body) -> reader.read(body));
    }

    private interface Answered {
        void accept(HttpResponse<InputStream> response, InputStream body) throws IOException;
    }

    private void exchange(HttpRequest request, String what, Answered answered) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new BatchProviderException(provider + " " + what + ": " + transport(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchProviderException(provider + " " + what + ": interrupted while waiting for the answer", true, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw refusedOrRetryable(what, response, body);
            }
            answered.accept(response, body);
        } catch (JsonProcessingException unreadable) {
            // not JSON, not base64 where an image should be, or past the parser's limits
            throw new BatchProviderException(provider + " " + what + ": the answer is not the JSON it should be: "
                    + unreadable.getOriginalMessage(), true, unreadable);
        } catch (IOException e) {
            throw new BatchProviderException(provider + " " + what + ": connection lost while reading the answer: " + e, true, e);
        }
    }

    private BatchProviderException refusedOrRetryable(String what, HttpResponse<InputStream> response, InputStream body) throws IOException {
        String text = new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = text.isBlank() ? JsonHttp.JSON.missingNode() : JsonHttp.JSON.readTree(text);
        } catch (IOException notJson) {
            json = JsonHttp.JSON.missingNode();
        }
        JsonHttp.Answer answer = new JsonHttp.Answer(response.statusCode(), json, text, JsonHttp.headers(response));
        ProviderError error = errors.read(answer);
        Classification.Row row = Classification.rowFor(error);
        LOG.log(System.Logger.Level.INFO, "{0} {1} answered {2} {3}: {4}", provider, what, error.status(), error.code(), abbreviate(error.message()));
        boolean retryable = row.kind() != Classification.Kind.REFUSED;
        String said = provider + " " + what + " answered " + response.statusCode() + " " + error.code() + ": " + Classification.says(row.type());
        if (response.statusCode() == 429 && error.dimensions().isEmpty()) {
            // A 429 refuses the call, so nothing was made. One that names no per-minute or per-day rate (Gemini's
            // QuotaFailure would) is the batch quota: enqueued tokens or concurrent batches. A rate's 429 stays a
            // passing failure, or the lane would learn an enqueued-token limit from a burst of calls.
            return BatchProviderException.overQuota(said);
        }
        return new BatchProviderException(said, retryable);
    }

    private static String transport(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamedBody.InputUnreadable unreadable) {
                // the provider never had the whole body, so it made nothing: a later run sends it again
                return unreadable.getMessage();
            }
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return "could not connect: " + e;
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time (a create may have been made: reconcile by display name): " + e;
        }
        return "connection lost (a create may have been made: reconcile by display name): " + e;
    }
}
