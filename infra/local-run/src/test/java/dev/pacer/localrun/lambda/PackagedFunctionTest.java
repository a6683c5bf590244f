package dev.pacer.localrun.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class PackagedFunctionTest {

    @Test
    void runsAFunctionZipThroughTheLambdaRuntimeInterfaceClient(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("function.zip");
        packageHandler(zip);
        FunctionDefinition definition = new FunctionDefinition("Upper", zip, UppercaseHandler.class.getName() + "::handleRequest",
                Duration.ofSeconds(20), 256, Map.of(), Map.of());

        FunctionLaunch launch = PackagedFunction.launch(definition, Map.of("AWS_LAMBDA_FUNCTION_NAME", "Upper"));
        try (LocalFunction function = new LocalFunction(launch, 1, System.out::println)) {
            byte[] result = function.invoke("\"a red fox\"".getBytes(StandardCharsets.UTF_8)).get();

            JsonNode answer = new ObjectMapper().readTree(result);
            assertEquals("A RED FOX", answer.get("upper").asText());
            assertEquals("Upper", answer.get("function").asText());
            assertTrue(answer.get("remainingMs").asLong() > 15_000);
            assertEquals(dir.resolve("local-run/Upper").toString(), answer.get("taskRoot").asText());
        }
    }

    @Test
    void unpacksOnlyWhenTheZipChanged(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("function.zip");
        packageHandler(zip);
        Path target = PackagedFunction.unpack(zip, dir.resolve("out"));
        Path marker = Files.createFile(target.resolve("left-by-a-previous-run"));

        PackagedFunction.unpack(zip, dir.resolve("out"));
        assertTrue(Files.exists(marker));

        Files.setLastModifiedTime(zip, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        PackagedFunction.unpack(zip, dir.resolve("out"));
        assertTrue(Files.notExists(marker));
    }

    /** The layout Quarkus gives function.zip: classes at the root (libraries would go under lib/). */
    private static void packageHandler(Path zip) throws IOException {
        String entry = UppercaseHandler.class.getName().replace('.', '/') + ".class";
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(entry));
            try (var in = UppercaseHandler.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
    }
}
