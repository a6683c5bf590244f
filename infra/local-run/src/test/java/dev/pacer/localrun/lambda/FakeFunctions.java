package dev.pacer.localrun.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Launches {@link FakeFunction} as a child JVM with the test class path. */
public final class FakeFunctions {

    private FakeFunctions() {
    }

    static FunctionLaunch launch(String name, Duration timeout, Map<String, String> environment) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128");
        return new FunctionLaunch(name, List.of(FunctionLaunch.javaExecutable(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), FakeFunction.class.getName()),
                env, Path.of("").toAbsolutePath(), timeout);
    }

    public static LocalFunction start(String name, Duration timeout, int instances, Map<String, String> environment) {
        return new LocalFunction(launch(name, timeout, environment), instances, System.out::println);
    }
}
