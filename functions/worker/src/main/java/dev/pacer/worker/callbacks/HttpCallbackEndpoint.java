package dev.pacer.worker.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.api.GenerationResponse;
import dev.pacer.core.port.CallbackEndpoint;
import dev.pacer.core.usecase.GenerationView;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs the job as GET /v1/generations/{id} shows it, signed, with short timeouts. Redirects are never followed
 * (a 3xx is a failed attempt): the signed body goes to the URL the caller registered and nowhere else. The whole
 * exchange, the answer's body included, must end within the connect and read timeouts together; the JDK's request
 * timeout alone stops at the answer's headers.
 */
public final class HttpCallbackEndpoint implements CallbackEndpoint {

    private final HttpClient http;
    private final ObjectMapper json;
    private final CallbackSignature signature;
    private final Duration readTimeout;
    private final Duration deadline;
    private final Clock clock;

    public HttpCallbackEndpoint(ObjectMapper json, CallbackSignature signature, Duration connectTimeout, Duration readTimeout,
            Clock clock) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.json = json;
        this.signature = signature;
        this.readTimeout = readTimeout;
        this.deadline = connectTimeout.plus(readTimeout);
        this.clock = clock;
    }

    @Override
    public CallbackAnswer post(URI url, GenerationView view) {
        byte[] body = body(view);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "pacer-callbacks/1")
                .header("Pacer-Job-Id", view.job().id().value())
                .header(CallbackSignature.HEADER, signature.header(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return new CallbackAnswer.Answered(exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        } catch (TimeoutException e) {
            // cancelling the exchange closes its connection: the receiver cannot hold this function
            exchange.cancel(true);
            return new CallbackAnswer.Unreachable("no complete answer within " + deadline.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new CallbackAnswer.Unreachable(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new CallbackAnswer.Unreachable("interrupted");
        }
    }

    private byte[] body(GenerationView view) {
        try {
            return json.writeValueAsBytes(GenerationResponse.of(view));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
