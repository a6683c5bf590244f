package dev.pacer.localrun.lambda;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs a function's deployment package the way Lambda's java21 runtime does: function.zip unpacked as the task root
 * (classes at the root, jars in lib/), loaded by the AWS Lambda Runtime Interface Client, whose own jars are the only
 * thing on the system class path, so the function's libraries are not shadowed.
 */
public final class PackagedFunction {

    static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** One class from each jar the runtime client needs: itself, lambda-java-core, its serializers, utils-lite. */
    private static final List<String> RUNTIME_CLASSES = List.of(RUNTIME_CLIENT_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    /** Where the runtime client loads its JNI library from, instead of unpacking it itself. */
    static final String NATIVE_CLIENT_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private PackagedFunction() {
    }

    /**
     * The runtime client's JNI library, unpacked once per local run into a private directory. Left to
     * itself, every client unpacks it to the same /tmp/.libaws-lambda-jni.so, and two functions starting
     * together overwrite the file under each other's feet (the JVM dies with SIGBUS).
     */
    private static final class NativeClientLibrary {
        static final Path PATH = unpack();

        private static Path unpack() {
            String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
            String resource = "/jni/libaws-lambda-jni.linux-" + arch + ".so";
            try (var in = PackagedFunction.class.getClassLoader().loadClass(RUNTIME_CLIENT_MAIN).getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the Lambda runtime interface client has no " + resource);
                }
                Path dir = Files.createTempDirectory("pacer-lambda-jni");
                Path library = dir.resolve("libaws-lambda-jni.so");
                Files.copy(in, library);
                library.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return library;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack " + resource, e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the Lambda runtime interface client is not on the class path", e);
            }
        }
    }

    public static FunctionLaunch launch(FunctionDefinition function, Map<String, String> environment) {
        Path zip = function.codeUri();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(function.logicalId() + ": " + zip + " does not exist; build it first (./mvnw -DskipTests install)");
        }
        Path taskRoot = unpack(zip, zip.getParent().resolve("local-run").resolve(function.logicalId()));
        List<String> command = new ArrayList<>();
        command.add(FunctionLaunch.javaExecutable());
        // what the java21 runtime's bootstrap does: a heap sized from the function's memory, serial GC
        command.add("-XX:MaxHeapSize=" + Math.max(64, function.memoryMb() * 85 / 100) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-D" + NATIVE_CLIENT_PROPERTY + "=" + NativeClientLibrary.PATH);
        command.add("-cp");
        command.add(runtimeClasspath());
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(function.handler());
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("_HANDLER", function.handler());
        return new FunctionLaunch(function.logicalId(), command, env, taskRoot, function.timeout());
    }

    /** The runtime client's jars, found where this JVM loaded them (target/lib/ or the Maven repository). */
    static String runtimeClasspath() {
        Set<String> jars = new LinkedHashSet<>();
        for (String className : RUNTIME_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, PackagedFunction.class.getClassLoader());
                jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the Lambda runtime interface client is not on the class path: " + className, e);
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    /** Unpacks again only when function.zip is newer than the last unpacking, so restarts are quick. */
    static Path unpack(Path zip, Path target) {
        try {
            Path marker = target.resolve(".unpacked-from");
            if (Files.exists(marker) && !Files.getLastModifiedTime(zip).toInstant().isAfter(Files.getLastModifiedTime(marker).toInstant())) {
                return target;
            }
            deleteRecursively(target);
            Files.createDirectories(target);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    Path destination = target.resolve(entry.getName()).normalize();
                    if (!destination.startsWith(target)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                    } else {
                        Files.createDirectories(destination.getParent());
                        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(marker, zip.toString());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
