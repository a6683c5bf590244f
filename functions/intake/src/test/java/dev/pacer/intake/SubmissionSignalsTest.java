package dev.pacer.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacer.testsupport.ConsoleLogCapture;
import dev.pacer.testsupport.EmfCapture;
import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.pacer.testsupport.EmfCapture.dimensionSets;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What operators see of a submission: a valid CloudWatch EMF line counting it, and JSON log lines with the job id, never the prompt. */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class SubmissionSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "a secret garden in the rain";

    @Test
    void anAcceptedJobIsCountedPerModelAndResolutionAndLoggedAsJsonWithItsIdButNotItsPrompt() throws IOException {
        String id;
        List<String> logLines;
        try (EmfCapture emf = EmfCapture.start(); ConsoleLogCapture log = ConsoleLogCapture.start()) {
            id = given().contentType(ContentType.JSON)
                    .body("{\"prompt\":\"" + PROMPT + "\",\"resolution\":\"2K\",\"count\":3}")
                    .when().post("/v1/generations")
                    .then().statusCode(202)
                    .extract().path("id");

            List<JsonNode> submitted = emf.documents("Submitted", id);
            assertEquals(1, submitted.size(), submitted::toString);
            JsonNode line = submitted.get(0);
            assertEquals(1, line.path("Submitted").asInt());
            assertEquals(3, line.path("RequestedImages").asInt());
            assertEquals("gemini-3.1-flash-image", line.path("Model").asText());
            assertEquals("2K", line.path("Resolution").asText());
            assertEquals(List.of(List.of("Service"), List.of("Service", "Model", "Resolution")), dimensionSets(line, "Submitted"));
            assertFalse(line.toString().contains(PROMPT));
            logLines = log.lines();
        }

        List<JsonNode> aboutTheJob = new ArrayList<>();
        for (String line : logLines) {
            assertFalse(line.contains(PROMPT), "the prompt is never logged: " + line);
            if (line.contains(id)) {
                aboutTheJob.add(JSON.readTree(line));
            }
        }
        assertFalse(aboutTheJob.isEmpty(), "the intake logs the job it accepted");
        for (JsonNode line : aboutTheJob) {
            assertEquals(id, line.path("mdc").path("jobId").asText(), line::toString);
        }
    }
}
