package dev.pacer.intake;

import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The intake with an operator's catalog override (a file, as a local run names it) and a pool that names a model the
 * catalog lacks: the override's alias and default apply, and the pool's own model may be asked for.
 */
@QuarkusTest
@TestProfile(ModelCatalogOverrideTest.OverriddenCatalog.class)
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true)
class ModelCatalogOverrideTest {

    /** The files are in src/test/resources; the tests run in the module's directory. */
    public static class OverriddenCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pacer.catalog-file", "src/test/resources/catalog-override.json",
                    "pacer.accounts-file", "src/test/resources/accounts-override.json");
        }
    }

    @Test
    void theOverridesDefaultIsUsedWhenASubmissionNamesNone() {
        String id = submit("{\"prompt\":\"a fox\"}");

        given().when().get("/v1/generations/" + id).then().statusCode(200)
                .body("model", equalTo("gemini-3-pro-image"))
                .body("resolution", equalTo("1K"));
    }

    @Test
    void theOverridesAliasIsRecordedAsItsModelAndItsShapesReplaceTheBundledOnes() {
        String id = submit("{\"prompt\":\"a fox\",\"model\":\"house-style\",\"aspectRatio\":\"16:9\"}");
        given().when().get("/v1/generations/" + id).then().statusCode(200).body("model", equalTo("gemini-3-pro-image"));

        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\",\"model\":\"gemini-3-pro-image\",\"resolution\":\"4K\"}")
                .when().post("/v1/generations")
                .then().statusCode(400)
                .body("field", equalTo("resolution"))
                .body("detail", containsString("supported: 1K, 2K"));
    }

    @Test
    void aModelOnlyThePoolNamesIsAcceptedWithItsProvidersUsualShapes() {
        String id = submit("{\"prompt\":\"a fox\",\"model\":\"gemini-3.5-flash-image\",\"resolution\":\"2K\",\"aspectRatio\":\"21:9\"}");
        given().when().get("/v1/generations/" + id).then().statusCode(200).body("model", equalTo("gemini-3.5-flash-image"));

        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\",\"model\":\"gemini-3.5-flash-image\",\"resolution\":\"0.5K\"}")
                .when().post("/v1/generations")
                .then().statusCode(400)
                .body("field", equalTo("resolution"))
                .body("detail", containsString("supported: 1K, 2K, 4K"));
    }

    @Test
    void aModelOnlyThePoolNamesHasNoPriceEstimate() {
        given().queryParam("model", "gemini-3.5-flash-image").queryParam("resolution", "1K").queryParam("imagesPerMinute", "5")
                .when().get("/v1/capacity")
                .then().statusCode(200)
                .body("accounts", equalTo(1))
                .body("costPerImage.provider", equalTo(0.0f))
                .body("warnings", hasItem("no list price for gemini-3.5-flash-image at 1K in the model catalog: provider cost shows as 0"));
    }

    @Test
    void retiredIdsOfTheBundledCatalogStayRetired() {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"a fox\",\"model\":\"gemini-3.1-flash-image-preview\"}")
                .when().post("/v1/generations")
                .then().statusCode(400)
                .body("type", equalTo("urn:pacer:problem:model-retired"))
                .body("successor", equalTo("gemini-3.1-flash-image"));
    }

    private static String submit(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");
    }
}
