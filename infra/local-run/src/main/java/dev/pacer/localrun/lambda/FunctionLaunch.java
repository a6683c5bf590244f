package dev.pacer.localrun.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start one instance of a function: a command that runs a Lambda runtime client, the environment it gets (the
 * launcher adds AWS_LAMBDA_RUNTIME_API), where it runs, and the per-invocation timeout.
 */
public record FunctionLaunch(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
        Duration timeout) {

    public FunctionLaunch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** The java executable of the running JVM, so children use the same runtime. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
