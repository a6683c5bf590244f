package dev.pacer.worker.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.CallbackEndpoint.CallbackAnswer;
import dev.pacer.core.usecase.CallbackAddresses;
import dev.pacer.core.usecase.GenerationView;
import dev.pacer.localrun.CallbackReceiver;
import org.junit.jupiter.api.Test;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a callback POST goes: the host is resolved once, by a resolver the test controls, every address it answers is
 * checked, and the connection is made to the address that was checked, with the Host header, SNI and the certificate
 * check still about the name. {@code callbacks.test} resolves nowhere but here (.test is reserved), so a POST that
 * reaches a receiver through it was sent to the checked address, not to a second lookup.
 */
class HttpCallbackPinningTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final char[] PASSWORD = "pacer-test".toCharArray();
    private static final CallbackAddresses DEPLOYED = new CallbackAddresses(false);
    private static final CallbackAddresses LOCAL = new CallbackAddresses(true);

    /** Answers from a list, one lookup after another (the last one again after that), and counts the lookups. */
    private static final class ScriptedDns implements PinnedTarget.Resolver {
        private final List<String> lookups = new CopyOnWriteArrayList<>();
        private final Map<String, List<List<String>>> answers;

        ScriptedDns(Map<String, List<List<String>>> answers) {
            this.answers = answers;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.add(host);
            List<List<String>> script = answers.get(host);
            if (script == null) {
                throw new UnknownHostException(host);
            }
            long earlier = lookups.stream().filter(host::equals).count() - 1;
            List<String> answer = script.get((int) Math.min(earlier, script.size() - 1));
            List<InetAddress> addresses = new ArrayList<>();
            for (String literal : answer) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses.toArray(InetAddress[]::new);
        }
    }

    @Test
    void aHostThatResolvesToAPrivateAddressIsRefusedAndNothingIsSent() {
        try (CallbackReceiver receiver = CallbackReceiver.start(204)) {
            int port = receiver.url("/").getPort();
            // the name points at loopback, where a receiver listens: deployed, that is an internal address like any other
            ScriptedDns dns = new ScriptedDns(Map.of("hooks.example.com", List.of(List.of("127.0.0.1"))));

            CallbackAnswer answer = endpoint(DEPLOYED, dns, null).post(URI.create("https://hooks.example.com:" + port + "/hook"), view());

            String reason = assertInstanceOf(CallbackAnswer.Unreachable.class, answer).reason();
            assertTrue(reason.startsWith("refused: the callback host resolves to a loopback address"), reason);
            assertTrue(!reason.contains("127.0.0.1"), "the job shows the kind, not the address: " + reason);
            assertTrue(receiver.next(Duration.ofMillis(300)).isEmpty(), "nothing was sent");
        }
    }

    @Test
    void localhostIsRefusedWhereLoopbackIsNotAllowed() {
        try (CallbackReceiver receiver = CallbackReceiver.start(204)) {
            URI url = URI.create("http://localhost:" + receiver.url("/").getPort() + "/hook");

            CallbackAnswer answer = endpoint(DEPLOYED, PinnedTarget.Resolver.SYSTEM, null).post(url, view());

            assertTrue(assertInstanceOf(CallbackAnswer.Unreachable.class, answer).reason().contains("a loopback address"), answer::toString);
            assertTrue(receiver.next(Duration.ofMillis(300)).isEmpty(), "nothing was sent");
        }
    }

    @Test
    void oneInternalAddressAmongTheAnswersRefusesTheHostAlsoInTheLocalRun() {
        ScriptedDns dns = new ScriptedDns(Map.of(
                "metadata.example.com", List.of(List.of("93.184.216.34", "169.254.169.254")),
                "intranet.example.com", List.of(List.of("10.1.2.3")),
                "v6.example.com", List.of(List.of("fd00::7")),
                "mapped.example.com", List.of(List.of("64:ff9b::a9fe:a9fe"))));
        HttpCallbackEndpoint local = endpoint(LOCAL, dns, null);

        assertRefused(local.post(URI.create("https://metadata.example.com/hook"), view()), "a link-local address");
        assertRefused(local.post(URI.create("https://intranet.example.com/hook"), view()), "a private address");
        assertRefused(local.post(URI.create("https://v6.example.com/hook"), view()), "a private (unique local) address");
        assertRefused(local.post(URI.create("https://mapped.example.com/hook"), view()), "a link-local address");
    }

    @Test
    void plainHttpIsSentOnlyToLoopback() {
        ScriptedDns dns = new ScriptedDns(Map.of("hooks.example.com", List.of(List.of("93.184.216.34"))));

        assertRefused(endpoint(LOCAL, dns, null).post(URI.create("http://hooks.example.com/hook"), view()), "plain http goes to loopback only");
    }

    @Test
    void thePostGoesToTheAddressThatWasCheckedAndTheHostIsLookedUpOnce() {
        try (CallbackReceiver receiver = CallbackReceiver.start(204)) {
            int port = receiver.url("/").getPort();
            // a rebinding name: loopback (allowed here) when checked, the metadata service on any later lookup
            ScriptedDns dns = new ScriptedDns(Map.of("callbacks.test", List.of(List.of("127.0.0.1"), List.of("169.254.169.254"))));

            CallbackAnswer answer = endpoint(LOCAL, dns, null).post(URI.create("http://callbacks.test:" + port + "/hooks/pacer?k=1"), view());

            assertEquals(new CallbackAnswer.Answered(204), answer);
            CallbackReceiver.Received post = receiver.next(Duration.ofSeconds(5)).orElseThrow();
            assertEquals("/hooks/pacer", post.path());
            assertEquals(Optional.of("callbacks.test:" + port), post.header("host"), "the Host header names the host, not the address");
            assertEquals(List.of("callbacks.test"), dns.lookups, "looked up once, by the check; the connection used its answer");
        }
    }

    @Test
    void overTlsTheCertificateIsCheckedAgainstTheNameTheUrlGaveNotTheAddress() throws Exception {
        List<String> serverNames = new CopyOnWriteArrayList<>();
        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpsServer server = httpsServer(serverNames, hosts);
        try {
            int port = server.getAddress().getPort();
            ScriptedDns dns = new ScriptedDns(Map.of(
                    "callbacks.test", List.of(List.of("127.0.0.1")),
                    "other.test", List.of(List.of("127.0.0.1"))));
            HttpCallbackEndpoint endpoint = endpoint(LOCAL, dns, trusting());

            assertEquals(new CallbackAnswer.Answered(204), endpoint.post(URI.create("https://callbacks.test:" + port + "/hook"), view()));
            assertEquals(List.of("callbacks.test"), serverNames, "SNI names the host");
            assertEquals(List.of("callbacks.test:" + port), hosts);

            // the same address and port under a name the certificate does not carry: refused, though a TLS session
            // with that address was just made (it is not resumed for another name)
            CallbackAnswer wrongName = endpoint.post(URI.create("https://other.test:" + port + "/hook"), view());
            String reason = assertInstanceOf(CallbackAnswer.Unreachable.class, wrongName).reason();
            assertTrue(reason.startsWith("TLS failed: certificate or handshake"), reason);
            assertEquals(1, hosts.size(), "nothing reached the handler for the wrong name");
        } finally {
            server.stop(0);
        }
    }

    private static void assertRefused(CallbackAnswer answer, String expected) {
        String reason = assertInstanceOf(CallbackAnswer.Unreachable.class, answer).reason();
        assertTrue(reason.startsWith("refused: ") && reason.contains(expected), reason);
    }

    private static HttpCallbackEndpoint endpoint(CallbackAddresses addresses, PinnedTarget.Resolver resolver, TrustManager[] trust) {
        return new HttpCallbackEndpoint(JSON, new CallbackSignature("test-key"), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Clock.systemUTC(), addresses, resolver, trust);
    }

    private static GenerationView view() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K,
                "1:1", 1, Map.of()), Instant.parse("2026-11-27T10:00:00Z"));
        return new GenerationView(job, List.of());
    }

    /** An HTTPS server on loopback whose certificate is for callbacks.test only; it notes the SNI and Host it was sent. */
    private static HttpsServer httpsServer(List<String> serverNames, List<String> hosts) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            try (exchange) {
                ((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession()).getRequestedServerNames()
                        .forEach(name -> serverNames.add(((SNIHostName) name).getAsciiName()));
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return server;
    }

    private static TrustManager[] trusting() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore());
        return trust.getTrustManagers();
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = HttpCallbackPinningTest.class.getResourceAsStream("/tls/callbacks-test.p12")) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
