package dev.pacer.localrun;

import dev.pacer.localrun.template.TemplateProvisioner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How to run pacer locally.
 *
 * @param port              HTTP API port; 0 picks a free one (tests)
 * @param workers           concurrent worker instances and SQS pollers; null takes the template's
 *                          MaximumConcurrency capped at {@link #DEFAULT_WORKERS}, to spare a laptop
 * @param intakeInstances   concurrent intake instances
 * @param latencyFactor     PACER_SIMULATED_LATENCY_FACTOR for the simulated provider; null leaves it unset
 * @param extraEnvironment  more variables for both functions; they win over everything else
 * @param resourcePrefix    physical names are this prefix plus the logical id
 * @param log               where the functions' output and the local run's messages go
 * @param scheduleScale     multiplies the period of every {@code Schedule} event: 1 runs them at the template's rate,
 *                          0.1 a {@code rate(1 minute)} every 6 s (the batch lane's collector and poller, in tests)
 */
public record LocalRunOptions(int port, Integer workers, int intakeInstances, String latencyFactor,
        Map<String, String> extraEnvironment, String resourcePrefix, Consumer<String> log, double scheduleScale) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_WORKERS = 2;
    /** Local runs scale the simulated provider's latency down so a 1K image takes ~2.6 s, not 13 s. */
    public static final String DEFAULT_LATENCY_FACTOR = "0.2";
    /**
     * There is no IAM authorizer locally: the intake takes the caller's name from this header instead
     * (absent, the caller is "local"). A deployed API never sets the variable.
     */
    public static final String LOCAL_CALLER_HEADER = "x-pacer-caller";
    static final String LOCAL_CALLER_HEADER_VARIABLE = "PACER_AUTH_LOCAL_CALLER_HEADER";
    static final String AWS_CALL_LOG_VARIABLE = "PACER_AWS_CALL_LOG";

    /**
     * Locally callbacks are signed with this fixed key (deployed, with a key generated into Secrets Manager), and may
     * go to plain-http loopback URLs, since a local receiver has no certificate.
     */
    public static final String LOCAL_CALLBACK_SIGNING_KEY = "pacer-local-callback-signing-key";

    public LocalRunOptions {
        extraEnvironment = Map.copyOf(extraEnvironment);
        if (!(scheduleScale > 0)) {
            throw new IllegalArgumentException("scheduleScale must be positive");
        }
    }

    public static LocalRunOptions defaults() {
        return new LocalRunOptions(DEFAULT_PORT, null, 2, DEFAULT_LATENCY_FACTOR, Map.of(LOCAL_CALLER_HEADER_VARIABLE, LOCAL_CALLER_HEADER,
                "PACER_CALLBACKS_SIGNING_KEY", LOCAL_CALLBACK_SIGNING_KEY, "PACER_CALLBACKS_ALLOW_HTTP_TO_LOOPBACK", "true"),
                TemplateProvisioner.DEFAULT_PREFIX, System.out::println, 1.0);
    }

    /** Defaults with a free port: for an end-to-end test starting the local run in-process. */
    public static LocalRunOptions forTests() {
        return defaults().withPort(0);
    }

    public LocalRunOptions withPort(int newPort) {
        return new LocalRunOptions(newPort, workers, intakeInstances, latencyFactor, extraEnvironment, resourcePrefix, log, scheduleScale);
    }

    public LocalRunOptions withWorkers(Integer newWorkers) {
        return new LocalRunOptions(port, newWorkers, intakeInstances, latencyFactor, extraEnvironment, resourcePrefix, log, scheduleScale);
    }

    public LocalRunOptions withLatencyFactor(String newFactor) {
        return new LocalRunOptions(port, workers, intakeInstances, newFactor, extraEnvironment, resourcePrefix, log, scheduleScale);
    }

    public LocalRunOptions withEnvironment(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(extraEnvironment);
        env.put(name, value);
        return new LocalRunOptions(port, workers, intakeInstances, latencyFactor, env, resourcePrefix, log, scheduleScale);
    }

    /**
     * Every function appends one line per AWS SDK call to {@code file} (PACER_AWS_CALL_LOG, read by the functions'
     * call-log interceptor): for counting calls per image. Unset, the functions log nothing.
     */
    public LocalRunOptions withAwsCallLog(Path file) {
        return withEnvironment(AWS_CALL_LOG_VARIABLE, file.toAbsolutePath().toString());
    }

    public LocalRunOptions withScheduleScale(double scale) {
        return new LocalRunOptions(port, workers, intakeInstances, latencyFactor, extraEnvironment, resourcePrefix, log, scale);
    }

    public LocalRunOptions withLog(Consumer<String> newLog) {
        return new LocalRunOptions(port, workers, intakeInstances, latencyFactor, extraEnvironment, resourcePrefix, newLog, scheduleScale);
    }

    /** The variables every function gets on top of the template's. */
    Map<String, String> functionExtras() {
        Map<String, String> env = new LinkedHashMap<>();
        if (latencyFactor != null) {
            env.put("PACER_SIMULATED_LATENCY_FACTOR", latencyFactor);
        }
        env.putAll(extraEnvironment);
        return env;
    }
}
