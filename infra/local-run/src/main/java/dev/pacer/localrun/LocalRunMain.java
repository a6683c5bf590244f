package dev.pacer.localrun;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar infra/local-run/target/local-run.jar [--port 8080] [--workers 2] [--latency-factor 0.2]
 * [--no-provider-defaults]}: runs pacer locally until Ctrl-C.
 */
public final class LocalRunMain {

    private LocalRunMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalRunOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: run-local [--no-build] [--port 8080] [--workers 2] [--latency-factor 0.2] [--schedule-scale 1] "
                    + "[--no-provider-defaults]");
            System.exit(2);
            return;
        }
        LocalRun localRun;
        try {
            localRun = LocalRun.start(options);
        } catch (RuntimeException e) {
            System.err.println("the local run failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(Banner.text(localRun));
        // the local run's shutdown hook stops everything on Ctrl-C; until then the main thread just waits
        new CountDownLatch(1).await();
    }

    static LocalRunOptions parse(String[] args) {
        LocalRunOptions options = LocalRunOptions.defaults();
        String latency = LocalRunOptions.DEFAULT_LATENCY_FACTOR;
        boolean providerDefaults = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> options = options.withPort(Integer.parseInt(value(args, ++i, "--port")));
                case "--workers" -> options = options.withWorkers(Integer.parseInt(value(args, ++i, "--workers")));
                case "--latency-factor" -> latency = value(args, ++i, "--latency-factor");
                case "--schedule-scale" -> options = options.withScheduleScale(Double.parseDouble(value(args, ++i, "--schedule-scale")));
                case "--no-provider-defaults" -> providerDefaults = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean latencyGiven = java.util.Arrays.asList(args).contains("--latency-factor");
        // --no-provider-defaults: the functions get only the template's settings and what you pass explicitly
        options = options.withLatencyFactor(providerDefaults || latencyGiven ? latency : null);
        for (Map.Entry<String, String> entry : pacerVariables(System.getenv()).entrySet()) {
            options = options.withEnvironment(entry.getKey(), entry.getValue());
        }
        return options;
    }

    /** PACER_* variables of our own environment pass through to the functions (provider keys, base URLs...). */
    static Map<String, String> pacerVariables(Map<String, String> environment) {
        Map<String, String> pacer = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("PACER_")) {
                pacer.put(name, value);
            }
        });
        return pacer;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
