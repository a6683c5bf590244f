package dev.pacer.localrun.moto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * moto_server (DynamoDB, SQS, S3 on one port) as a child process bound to loopback.
 * Closing it stops the process; a JVM shutdown hook stops it too, so Ctrl-C never leaves it behind.
 */
public final class MotoServer implements AutoCloseable {

    /** moto's default account; ARNs it returns carry it, so pseudo parameters agree with them. */
    public static final String ACCOUNT_ID = "123456789012";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Thread shutdownHook;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.shutdownHook = new Thread(process::destroy, "moto-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts moto on a free loopback port and waits until it answers. */
    public static MotoServer start() {
        return start(freePort(), Path.of(System.getProperty("java.io.tmpdir"), "pacer-moto.log"));
    }

    public static MotoServer start(int port, Path logFile) {
        String executable = locateExecutable();
        ProcessBuilder builder = new ProcessBuilder(List.of(executable, "-H", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        String pythonPath = builder.environment().get("PYTHONPATH");
        builder.environment().put("PYTHONPATH", AtomicDynamoDbPatch.DIRECTORY
                + (pythonPath == null || pythonPath.isEmpty() ? "" : java.io.File.pathSeparator + pythonPath));
        try {
            MotoServer server = new MotoServer(builder.start(), port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + executable, e);
        }
    }

    /** The moto_server on PATH; fails with an install hint when there is none. */
    public static String locateExecutable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "moto_server");
            if (candidate.toFile().canExecute()) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("moto_server is not on PATH: install it with pip install 'moto[server]'");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /**
     * Switches IAM enforcement on for every later request, by moto's {@code POST /moto-api/reset-auth} with the body
     * {@code 0} (the number of requests still let through unchecked). From then on a request needs the access key of
     * an IAM user made in this moto, and is refused {@code AccessDenied} for an action that user's policies do not
     * allow; test/test is refused as an unknown key. moto matches actions only, never resources or conditions.
     */
    public void enforceIam() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/reset-auth").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "text/plain");
            try (var body = connection.getOutputStream()) {
                body.write("0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status != 200) {
                throw new IllegalStateException("moto refused to enforce IAM: HTTP " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach moto to enforce IAM", e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + " while starting");
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(200);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() > 0) {
                    connection.disconnect();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        close();
        throw new IllegalStateException("moto_server did not answer on port " + port + " within " + STARTUP_TIMEOUT);
    }

    /**
     * A sitecustomize.py that makes moto run DynamoDB actions one at a time, as DynamoDB applies
     * conditional writes to an item atomically; unpacked once per JVM for every moto it starts.
     */
    private static final class AtomicDynamoDbPatch {
        static final String DIRECTORY = unpack();

        private static String unpack() {
            try (var in = MotoServer.class.getResourceAsStream("/moto/sitecustomize.py")) {
                if (in == null) {
                    throw new IllegalStateException("moto/sitecustomize.py is missing from the local run's resources");
                }
                Path dir = java.nio.file.Files.createTempDirectory("pacer-moto");
                Path file = dir.resolve("sitecustomize.py");
                java.nio.file.Files.copy(in, file);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return dir.toString();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack moto/sitecustomize.py", e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }
}
