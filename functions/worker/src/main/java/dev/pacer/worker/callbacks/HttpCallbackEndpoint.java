package dev.pacer.worker.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.api.GenerationResponse;
import dev.pacer.core.port.CallbackEndpoint;
import dev.pacer.core.usecase.CallbackAddresses;
import dev.pacer.core.usecase.GenerationView;

import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs the job as GET /v1/generations/{id} shows it, signed, with short timeouts. Redirects are never followed
 * (a 3xx is a failed attempt): the signed body goes to the URL the caller registered and nowhere else. The host is
 * resolved once, each of its addresses checked ({@link CallbackAddresses}), and the request sent to the checked
 * address ({@link PinnedTarget}); Host, SNI and the certificate check stay with the name.
 */
public final class HttpCallbackEndpoint implements CallbackEndpoint {

    private final PinnedClients clients;
    private final PinnedTarget.Resolver resolver;
    private final CallbackAddresses addresses;
    private final ObjectMapper json;
    private final CallbackSignature signature;
    private final Duration readTimeout;
    private final Clock clock;

    public HttpCallbackEndpoint(ObjectMapper json, CallbackSignature signature, Duration connectTimeout, Duration readTimeout,
            Clock clock, CallbackAddresses addresses) {
        this(json, signature, connectTimeout, readTimeout, clock, addresses, PinnedTarget.Resolver.SYSTEM, null);
    }

    /** With the lookups and the trusted certificates given: for tests. */
    HttpCallbackEndpoint(ObjectMapper json, CallbackSignature signature, Duration connectTimeout, Duration readTimeout, Clock clock,
            CallbackAddresses addresses, PinnedTarget.Resolver resolver, TrustManager[] trust) {
        requireHostHeader();
        this.clients = new PinnedClients(connectTimeout, trust);
        this.resolver = resolver;
        this.addresses = addresses;
        this.json = json;
        this.signature = signature;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    @Override
    public CallbackAnswer post(URI url, GenerationView view) {
        PinnedTarget target;
        try {
            target = PinnedTarget.resolve(url, resolver, addresses);
        } catch (PinnedTarget.RefusedAddressException e) {
            return new CallbackAnswer.Unreachable(e.getMessage());
        } catch (IOException e) {
            return new CallbackAnswer.Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        byte[] body = body(view);
        HttpRequest request = HttpRequest.newBuilder(target.uri())
                .header("Host", target.hostHeader())
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "pacer-callbacks/1")
                .header("Pacer-Job-Id", view.job().id().value())
                .header(CallbackSignature.HEADER, signature.header(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return new CallbackAnswer.Answered(clients.forTarget(target).send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return new CallbackAnswer.Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CallbackAnswer.Unreachable("interrupted");
        }
    }

    /**
     * The request goes to an address, so the Host header must name the host; the JDK lets a caller set it only with
     * {@code -Djdk.httpclient.allowRestrictedHeaders=host}, read once when its HTTP client loads (template.yaml's
     * JAVA_TOOL_OPTIONS sets it). Without it every callback would carry the address as its Host: refuse to start.
     */
    private static void requireHostHeader() {
        try {
            HttpRequest.newBuilder().header("Host", "pacer.invalid");
        } catch (IllegalArgumentException restricted) {
            throw new IllegalStateException("the JDK's HTTP client will not send a Host header: start the JVM with "
                    + "-Djdk.httpclient.allowRestrictedHeaders=host (template.yaml's JAVA_TOOL_OPTIONS does)", restricted);
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
