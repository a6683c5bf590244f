package dev.pacer.worker.callbacks;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDK clients a {@link PinnedTarget} is sent with. A request to an address carries no SNI of its own, so each host
 * name gets a client whose TLS parameters name it: the server picks its certificate by it, and the JDK checks the
 * certificate against it. Each such client has a TLS context of its own, because a context resumes sessions by
 * address and port, and a session resumed for another name would skip that name's certificate check. The most
 * recently used clients are kept, for their pooled connections.
 */
final class PinnedClients {

    private static final int KEPT = 64;

    private final Duration connectTimeout;
    private final TrustManager[] trust;
    private final HttpClient forAddresses;
    private final Map<String, HttpClient> byServerName = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
            return size() > KEPT;
        }
    };

    /** @param trust the certificates to trust; null for the JDK's own */
    PinnedClients(Duration connectTimeout, TrustManager[] trust) {
        this.connectTimeout = connectTimeout;
        this.trust = trust;
        this.forAddresses = build(Optional.empty());
    }

    HttpClient forTarget(PinnedTarget target) {
        if (target.serverName().isEmpty()) {
            return forAddresses;
        }
        synchronized (byServerName) {
            return byServerName.computeIfAbsent(target.serverName().get(), name -> build(Optional.of(name)));
        }
    }

    /** A name TLS cannot carry gets no SNI: the certificate is then checked against the address. */
    private static Optional<SNIHostName> sni(String name) {
        try {
            return Optional.of(new SNIHostName(name));
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
    }

    private HttpClient build(Optional<String> serverName) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
        SSLParameters parameters = context.getDefaultSSLParameters();
        serverName.flatMap(PinnedClients::sni).ifPresent(name -> parameters.setServerNames(List.of(name)));
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .sslParameters(parameters)
                .build();
    }
}
