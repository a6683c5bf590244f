package dev.pacer.aws;

import dev.pacer.localstack.AwsClients;
import dev.pacer.localstack.MotoServer;
import dev.pacer.localstack.ProvisionedResources;
import dev.pacer.localstack.TemplateProvisioner;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * moto with DynamoDB requests handled one at a time, like DynamoDB handles writes to one item.
 *
 * <p>Plain {@code moto_server} is multi-threaded and checks a condition and applies the write in separate
 * Python steps without a lock, so two concurrent conditional writes on one item can both succeed — something
 * DynamoDB never does. A race test against that would test moto, not pacer. This runs moto's own WSGI app with a
 * lock around DynamoDB calls (other services stay concurrent).
 */
public final class SerialDynamoDbMoto implements BeforeAllCallback, AfterAllCallback {

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

    private Process process;
    private AwsClients clients;
    private ProvisionedResources resources;
    private URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        int port = MotoServer.freePort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        process = new ProcessBuilder(List.of(python(), "-c", LAUNCHER, Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "pacer-moto-serial.log").toFile()))
                .start();
        awaitReady();
        resources = TemplateProvisioner.provision(endpoint);
        clients = AwsClients.forEndpoint(endpoint);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (clients != null) {
            clients.close();
        }
        if (process != null) {
            process.destroy();
        }
    }

    public AwsClients clients() {
        return clients;
    }

    public ProvisionedResources resources() {
        return resources;
    }

    /** A Python on PATH that can import moto (moto_server itself may be a pyenv shim, not a Python script). */
    private static String python() throws IOException, InterruptedException {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import moto.server").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next
            }
        }
        throw new IllegalStateException("no python on PATH can import moto; install it with pip install 'moto[server]'");
    }

    private void awaitReady() throws InterruptedException {
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
            Thread.sleep(50);
        }
        throw new UncheckedIOException(new IOException("moto did not answer on " + endpoint));
    }
}
