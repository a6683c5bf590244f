package dev.pacer.aws.calls;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts AWS calls for the calls-per-image benchmark: with {@code PACER_AWS_CALL_LOG=<file>} set, every SDK call
 * (successful or not) appends one {@link AwsCall} line to that file. Unset (production), it returns at once.
 * <p>
 * Registered on the Quarkiverse clients by {@code quarkus.<service>.interceptors} in each function's
 * application.properties, and on the clients the functions build themselves (SSM, Secrets Manager) with
 * {@link #register}. (Not through the SDK's global {@code execution.interceptors} list: under Quarkus tests the
 * SDK then loads the class in another class loader than its interface.) Several functions may share one file:
 * each line is a single append.
 */
public final class AwsCallLog implements ExecutionInterceptor {

    public static final String VARIABLE = "PACER_AWS_CALL_LOG";

    private final Optional<Path> file;
    private final String function;

    /** Quarkus instantiates it from {@code quarkus.<service>.interceptors}: configuration comes from the environment. */
    public AwsCallLog() {
        this(System.getenv());
    }

    AwsCallLog(Map<String, String> environment) {
        this.file = Optional.ofNullable(environment.get(VARIABLE)).filter(f -> !f.isBlank()).map(Path::of);
        this.function = environment.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "-");
    }

    /** For a client built by hand: {@code SsmClient.builder().overrideConfiguration(AwsCallLog::register)}. */
    public static void register(ClientOverrideConfiguration.Builder configuration) {
        configuration.addExecutionInterceptor(new AwsCallLog());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        file.ifPresent(path -> append(path, call(attributes, "ok")));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        file.ifPresent(path -> append(path, call(attributes, context.exception().getClass().getSimpleName())));
    }

    /** The SDK runs both hooks on the calling thread (sync clients): the stack shows who made the call. */
    private AwsCall call(ExecutionAttributes attributes, String outcome) {
        List<StackWalker.StackFrame> pacerFrames = StackWalker.getInstance().walk(frames -> frames
                // generated code (CDI client proxies) has no line numbers and says nothing about who called
                .filter(f -> f.getClassName().startsWith("dev.pacer.") && f.getLineNumber() > 0
                        && !f.getClassName().startsWith(AwsCallLog.class.getPackageName()))
                .toList());
        return new AwsCall(function,
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                outcome,
                adapterEntry(pacerFrames).map(AwsCallLog::name).orElse("-"),
                pacerFrames.stream().filter(f -> f.getClassName().startsWith("dev.pacer.core."))
                        .findFirst().map(AwsCallLog::name).orElse("-"));
    }

    /**
     * The adapter method the caller called: the outermost of the frames at the top of the stack that share the
     * first pacer frame's class, so a private helper inside the adapter is not named in its place.
     */
    private static Optional<StackWalker.StackFrame> adapterEntry(List<StackWalker.StackFrame> pacerFrames) {
        if (pacerFrames.isEmpty()) {
            return Optional.empty();
        }
        String adapter = pacerFrames.get(0).getClassName();
        StackWalker.StackFrame entry = pacerFrames.get(0);
        for (StackWalker.StackFrame frame : pacerFrames) {
            if (!frame.getClassName().equals(adapter)) {
                break;
            }
            entry = frame;
        }
        return Optional.of(entry);
    }

    private static String name(StackWalker.StackFrame frame) {
        String className = frame.getClassName();
        return className.substring(className.lastIndexOf('.') + 1) + "." + frame.getMethodName() + ":" + frame.getLineNumber();
    }

    private static void append(Path path, AwsCall call) {
        ByteBuffer line = ByteBuffer.wrap((call.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("AWS call log " + path, e);
        }
    }

    /** The calls recorded in {@code path} so far, in order; none when it does not exist yet. */
    public static List<AwsCall> read(Path path) {
        if (!Files.exists(path)) {
            return List.of();
        }
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(AwsCall::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("AWS call log " + path, e);
        }
    }
}
