package dev.pacer.bench.memory;

import com.sun.net.httpserver.HttpServer;
import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.InputImage;
import dev.pacer.core.job.Resolution;
import dev.pacer.core.port.InputImages;
import dev.pacer.providers.ProviderAccount;
import dev.pacer.providers.ProviderTimeouts;
import dev.pacer.providers.gemini.GeminiImageProvider;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap a Gemini edit needs: 14 reference images of 7 MiB each (98 MiB, 131 MiB as base64: more than intake lets one
 * request carry, 70 MiB, so a worst case for the adapter) sent to a local server that counts and discards the body. The inputs are streamed into the
 * request as base64, so the heap stays far below the body. Run with a small heap: {@code java -Xmx48m -XX:+UseSerialGC}.
 */
public final class EditRequestHeap {
    public static void main(String[] args) throws Exception {
        AtomicLong received = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = exchange.getRequestBody()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.addAndGet(n);
                }
            }
            byte[] answer = "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},\"finishReason\":\"STOP\"}]}".getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        long size = 7L * 1024 * 1024;
        InputImages inputs = new InputImages() {
            public Optional<Head> head(String key, int bytes) { return Optional.empty(); }
            public InputStream open(String key) {
                return new InputStream() {
                    long left = size;
                    public int read() { return left-- > 0 ? 0x5a : -1; }
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 0x5a);
                        left -= n;
                        return n;
                    }
                };
            }
        };
        List<InputImage> images = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            images.add(InputImage.upload("u" + i, "uploads/a/u" + i, "image/png", size));
        }
        GenerationRequest edit = new GenerationRequest("compose these", TestCatalog.FLASH, Resolution.ONE_K, "1:1", 1, Map.of())
                .withInputs(images, Optional.empty());
        var provider = new GeminiImageProvider(ProviderTimeouts.of(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60)),
                TestCatalog.standard(), inputs);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        var outcome = provider.generate(edit, new ProviderAccount("p", "gemini", URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "k"));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf("outcome %s; body %d bytes (inputs %d MiB raw); heap max %d MiB; peak heap used %d MiB%n",
                outcome.getClass().getSimpleName(), received.get(), 14 * size >> 20, Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
        server.stop(0);
        System.exit(0);
    }
}
