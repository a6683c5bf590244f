package dev.pacer.worker.e2e;

import dev.pacer.localstack.MotoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * moto with DynamoDB requests handled one at a time, as DynamoDB handles writes to one item: plain moto_server
 * can let two concurrent conditional writes on one item both succeed (the same launcher as pacer-aws's
 * SerialDynamoDbMoto; infra/local-stack's MotoServer would be the place for one shared copy).
 */
final class SerialMoto implements AutoCloseable {

    private static final String LAUNCHER = """
            import sys, threading
            from werkzeug.serving import run_simple
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
            app = DomainDispatcherApplication(create_backend_app)
            lock = threading.Lock()
            def serial(environ, start_response):
                if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
                    with lock:
                        return list(app(environ, start_response))
                return app(environ, start_response)
            run_simple("127.0.0.1", int(sys.argv[1]), serial, threaded=True)
            """;

    private final Process process;
    private final URI endpoint;

    private SerialMoto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static SerialMoto start() {
        int port = MotoServer.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            Process process = new ProcessBuilder(List.of("python3", "-c", LAUNCHER, Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "pacer-moto-serial.log").toFile()))
                    .start();
            SerialMoto moto = new SerialMoto(process, endpoint);
            moto.awaitReady();
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("python3 with moto is needed (pip install 'moto[server]')", e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + " while starting");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(200);
                if (c.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("moto did not answer on " + endpoint);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
