package dev.pacer.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The whole stack with the real packaged functions; skipped until both function.zip files have been built. */
class LocalStackTest {

    @Test
    void acceptsAGenerationThroughTheRealIntake() throws Exception {
        CloudFormationTemplate template = CloudFormationTemplate.load();
        for (String function : new String[] {LocalStack.INTAKE, LocalStack.WORKER}) {
            Assumptions.assumeTrue(Files.isRegularFile(FunctionDefinition.from(template, function).codeUri()),
                    function + " is not packaged yet");
        }

        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests().withLog(line -> { }))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/generations"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a red fox\"}")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode job = new ObjectMapper().readTree(accepted.body());
            assertTrue(job.hasNonNull("id"));
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/generations/" + job.get("id").asText()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), status.body());
        }
    }
}
