package dev.pacer.localrun.lambda;

import dev.pacer.localrun.moto.ChildProcesses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One execution environment: a child JVM running the function's runtime client against its own Runtime API server.
 * Like Lambda it handles one event at a time; a timeout or a crash ends it for good.
 */
final class FunctionInstance implements AutoCloseable {

    private static final Duration INIT_TIMEOUT = Duration.ofMinutes(2);

    private final FunctionLaunch launch;
    private final String label;
    private final RuntimeApiServer runtimeApi;
    private final Process process;
    private volatile Invocation current;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    FunctionInstance(FunctionLaunch launch, int number, Consumer<String> log) {
        this.launch = launch;
        this.label = launch.name() + "#" + number;
        this.runtimeApi = new RuntimeApiServer(launch.name());
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(launch.workingDirectory().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // Lambda gives a function only its own variables; keep PATH and HOME so the JVM itself behaves
        String path = env.get("PATH");
        String home = env.get("HOME");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        if (home != null) {
            env.put("HOME", home);
        }
        env.putAll(launch.environment());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", label);
        try {
            process = builder.start();
        } catch (IOException e) {
            runtimeApi.close();
            throw new UncheckedIOException("cannot start " + label, e);
        }
        Thread pump = new Thread(() -> pumpOutput(log), "log-" + label);
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(this::failCurrent);
    }

    String label() {
        return label;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the init phase (the handler class loaded and Quarkus booted); fails on an init error or exit. */
    void awaitInitialised() {
        try {
            Instant deadline = Instant.now().plus(INIT_TIMEOUT);
            while (!runtimeApi.awaitInitialised(100, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive()) {
                    throw new FunctionErrorException("Runtime.ExitError", errorDocument(label + " exited with " + process.exitValue() + " during init", "Runtime.ExitError"));
                }
                if (Instant.now().isAfter(deadline)) {
                    close();
                    throw new FunctionErrorException("Sandbox.Timedout", errorDocument(label + " did not initialise within " + INIT_TIMEOUT, "Sandbox.Timedout"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (runtimeApi.initError() != null) {
            close();
            throw new FunctionErrorException("Runtime.InitError", runtimeApi.initError());
        }
    }

    /** Hands the event to the runtime; the future fails with {@link FunctionTimeoutException} after the Timeout. */
    CompletableFuture<byte[]> invoke(byte[] event) {
        Invocation invocation = new Invocation(event, Instant.now().plus(launch.timeout()));
        current = invocation;
        runtimeApi.submit(invocation);
        if (!process.isAlive()) {
            failCurrent();
        }
        return invocation.result()
                .orTimeout(launch.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> {
                    if (error instanceof TimeoutException) {
                        // Lambda freezes and discards an environment whose invocation timed out
                        close();
                        return CompletableFuture.failedFuture(new FunctionTimeoutException(invocation.requestId(), launch.timeout()));
                    }
                    return CompletableFuture.failedFuture(error);
                })
                .whenComplete((result, error) -> current = null);
    }

    private void failCurrent() {
        Invocation invocation = current;
        if (invocation != null && !process.isAlive()) {
            invocation.result().completeExceptionally(new FunctionErrorException("Runtime.ExitError",
                    errorDocument("RequestId: " + invocation.requestId() + " Error: Runtime exited with " + process.exitValue(), "Runtime.ExitError")));
        }
    }

    private void pumpOutput(Consumer<String> log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.accept("[" + label + "] " + line);
            }
        } catch (IOException closed) {
            // the process is gone
        }
    }

    private static String errorDocument(String message, String type) {
        return "{\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"errorType\":\"" + type + "\"}";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ChildProcesses.stop(process);
        runtimeApi.close();
    }
}
