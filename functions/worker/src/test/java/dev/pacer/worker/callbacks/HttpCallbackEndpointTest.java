package dev.pacer.worker.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.CallbackEndpoint.CallbackAnswer;
import dev.pacer.core.usecase.CallbackAddresses;
import dev.pacer.core.usecase.GenerationView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signed POST against loopback receivers that answer well and badly. */
class HttpCallbackEndpointTest {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<String> receiverSaw = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @AfterEach
    void stopReceiver() {
        stop.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aReceiverThatAnswersIsAnswered() throws IOException {
        URI url = receiver(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
        });

        assertEquals(new CallbackAnswer.Answered(204), endpoint(Duration.ofSeconds(1), Duration.ofSeconds(1)).post(url, view()));
    }

    /**
     * The JDK client's request timeout ends at the headers: a receiver that sends them and then its body one byte a
     * second held the POST, and the function, for as long as it liked. The whole answer must come within the connect
     * and read timeouts.
     */
    @Test
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheConnectAndReadTimeouts() throws IOException {
        URI url = receiver(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 60 && !stop.await(1, TimeUnit.SECONDS); i++) {
                    out.write('x');
                    out.flush();
                }
            } catch (IOException cut) {
                receiverSaw.add("cut off: " + cut.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpCallbackEndpoint endpoint = endpoint(Duration.ofSeconds(1), Duration.ofSeconds(1));

        long started = System.nanoTime();
        CallbackAnswer answer = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> endpoint.post(url, view()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        CallbackAnswer.Unreachable unreachable = assertInstanceOf(CallbackAnswer.Unreachable.class, answer);
        assertTrue(unreachable.reason().contains("within 2 s"), unreachable::reason);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "cut off after connect + read timeout, not after 60 s: " + took);
        waitFor(() -> !receiverSaw.isEmpty());
        assertTrue(receiverSaw.get(0).startsWith("cut off"), "the connection is closed, not left trickling: " + receiverSaw);
    }

    private HttpCallbackEndpoint endpoint(Duration connect, Duration read) {
        // the receivers listen on loopback, as the local run's do
        return new HttpCallbackEndpoint(new ObjectMapper().findAndRegisterModules(), new CallbackSignature("test-key"), connect, read,
                Clock.systemUTC(), new CallbackAddresses(true));
    }

    private URI receiver(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/pacer");
    }

    private static GenerationView view() {
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K,
                "1:1", 1, Map.of()), Instant.parse("2026-11-27T10:00:00Z"));
        return new GenerationView(job, List.of());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
