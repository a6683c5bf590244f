package dev.pacer.worker.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.api.GenerationResponse;
import dev.pacer.core.port.CallbackEndpoint;
import dev.pacer.core.usecase.CallbackAddresses;
import dev.pacer.core.usecase.GenerationView;

import org.jboss.logging.Logger;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * timeout alone stops at the answer's headers. The host is resolved once, each of its addresses checked
 * ({@link CallbackAddresses}), and the request sent to the checked address ({@link PinnedTarget}); Host, SNI and the
 * certificate check stay with the name.
 */
public final class HttpCallbackEndpoint implements CallbackEndpoint {

    private static final Logger LOG = Logger.getLogger(HttpCallbackEndpoint.class);

    private final PinnedClients clients;
    private final PinnedTarget.Resolver resolver;
    private final CallbackAddresses addresses;
    private final ObjectMapper json;
    private final CallbackSignature signature;
    private final Duration readTimeout;
    private final Duration deadline;
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
        this.deadline = connectTimeout.plus(readTimeout);
        this.clock = clock;
    }

    @Override
    public CallbackAnswer post(URI url, GenerationView view) {
        PinnedTarget target;
        try {
            target = PinnedTarget.resolve(url, resolver, addresses);
        } catch (PinnedTarget.RefusedAddressException e) {
            LOG.infof("callback to %s for job %s refused: %s", url.getHost(), view.job().id(), e.detail());
            return new CallbackAnswer.Unreachable(e.getMessage());
        } catch (IOException e) {
            LOG.infof("callback to %s for job %s: the host did not resolve: %s", url.getHost(), view.job().id(), e);
            return new CallbackAnswer.Unreachable(unreachable(e));
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
        CompletableFuture<HttpResponse<Void>> exchange = clients.forTarget(target).sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return new CallbackAnswer.Answered(exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS).statusCode());
        } catch (TimeoutException e) {
            // cancelling the exchange closes its connection: the receiver cannot hold this function
            exchange.cancel(true);
            LOG.infof("callback to %s for job %s got no complete answer within %s", url.getHost(), view.job().id(), deadline);
            return new CallbackAnswer.Unreachable("no complete answer within " + deadline.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.infof("callback to %s for job %s got no answer: %s", url.getHost(), view.job().id(), cause);
            return new CallbackAnswer.Unreachable(cause instanceof IOException io ? unreachable(io)
                    : "no HTTP answer (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new CallbackAnswer.Unreachable("interrupted");
        }
    }

    /** What GET and the job show of a POST that got no answer: a fixed text by kind; the exception's own is logged. */
    static String unreachable(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within the connect timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused (ConnectException)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within the read timeout";
        }
        if (e instanceof SSLException) {
            return "TLS failed: certificate or handshake (" + e.getClass().getSimpleName() + ")";
        }
        return "no HTTP answer (" + e.getClass().getSimpleName() + ")";
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
