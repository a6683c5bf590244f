package dev.pacer.intake;

import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Uploads and edits over the intake's HTTP API, on moto with the intake role's permissions: the form S3 takes the file
 * through, the inputs a submission names and what GET shows of them, and each refusal as problem+json with nothing
 * stored or queued.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class EditsResourceTest {

    private static byte[] png(int width, int height, int total) {
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
        return b.array();
    }

    /** POST /v1/uploads as {@code caller}, then the file through the form it answers; the upload id. */
    private static String upload(String caller, byte[] file) throws Exception {
        JsonPath created = given().contentType(ContentType.JSON).header("x-pacer-caller", caller)
                .body("{\"contentType\":\"image/png\",\"bytes\":" + file.length + "}")
                .when().post("/v1/uploads")
                .then().statusCode(201).extract().jsonPath();
        Map<String, String> fields = created.getMap("upload.fields");
        assertEquals(204, post(URI.create(created.getString("upload.url")), fields, file));
        return created.getString("id");
    }

    @Test
    void anUploadAnswersAFormPinnedToItsOwnKeyUnderTheCallersPrefix() {
        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"contentType\":\"image/webp\",\"bytes\":1000}")
                .when().post("/v1/uploads")
                .then().statusCode(201)
                .body("contentType", equalTo("image/webp"))
                .body("bytes", equalTo(1000))
                .body("upload.fields.key", startsWith("uploads/"))
                .body("upload.fields.Content-Type", equalTo("image/webp"))
                .body("upload.fields.x-amz-algorithm", equalTo("AWS4-HMAC-SHA256"))
                .body("upload.fields", hasKey("policy"))
                .body("upload.fields", hasKey("x-amz-signature"));
    }

    @Test
    void aFileLargerThanTheUploadDeclaredIsRefusedByTheFormsPolicy() throws Exception {
        JsonPath created = given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"contentType\":\"image/png\",\"bytes\":100}")
                .when().post("/v1/uploads")
                .then().statusCode(201).extract().jsonPath();

        int status = post(URI.create(created.getString("upload.url")), created.getMap("upload.fields"), png(64, 64, 101));

        // S3's answer, EntityTooLarge; here the local run's S3 POST Object gives it (moto checks no policy)
        assertEquals(400, status);
        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"" + created.getString("id") + "\"}]}")
                .when().post("/v1/generations")
                .then().statusCode(409).body("type", containsString("input-not-ready"));
    }

    @Test
    void anUploadOfAnotherTypeOrNoSizeIsRefused() {
        given().contentType(ContentType.JSON).body("{\"contentType\":\"image/gif\",\"bytes\":10}")
                .when().post("/v1/uploads")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("contentType"));
        given().contentType(ContentType.JSON).body("{\"contentType\":\"image/png\",\"bytes\":52428800}")
                .when().post("/v1/uploads")
                .then().statusCode(400).body("field", equalTo("bytes"));
    }

    @Test
    void anEditOfAnUploadIsQueuedAndGetShowsItsInputsWithoutAUrl() throws Exception {
        String shoes = upload("alice", png(1024, 1024, 4000));

        String id = given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"the shoes on a beach\",\"inputs\":[{\"upload\":\"" + shoes + "\"}]}")
                .when().post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        String answer = given().header("x-pacer-caller", "alice").when().get("/v1/generations/" + id)
                .then().statusCode(200)
                .body("inputs[0].upload", equalTo(shoes))
                .body("inputs[0].contentType", equalTo("image/png"))
                .body("inputs[0].bytes", equalTo(4000))
                .body("inputs[0]", not(hasKey("url")))
                .extract().asString();
        assertEquals(-1, answer.indexOf("uploads/"), "no key or URL of the upload is shown: " + answer);
    }

    @Test
    void anEditMayAskForTheBatchLaneAndAutoChoosesForItAsForAnyJob() throws Exception {
        String shoes = upload("alice", png(1024, 1024, 4000));
        String inputs = ",\"inputs\":[{\"upload\":\"" + shoes + "\"}]}";

        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"the shoes on a beach\",\"lane\":\"batch\"" + inputs)
                .when().post("/v1/generations")
                .then().statusCode(202).body("status", equalTo("QUEUED")).body("lane", equalTo("batch"));
        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"the shoes on a beach\",\"lane\":\"auto\"" + inputs)
                .when().post("/v1/generations")
                .then().statusCode(202).body("lane", equalTo("batch"));
        // a model whose accounts have no Batch API: the usual answer, edit or not
        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"the shoes on a beach\",\"model\":\"amazon.nova-canvas-v1:0\",\"lane\":\"batch\"" + inputs)
                .when().post("/v1/generations")
                .then().statusCode(400).body("field", equalTo("lane")).body("detail", containsString("has no batch lane"));
        given().contentType(ContentType.JSON).header("x-pacer-caller", "alice")
                .body("{\"prompt\":\"the shoes on a beach\",\"model\":\"amazon.nova-canvas-v1:0\",\"lane\":\"auto\"" + inputs)
                .when().post("/v1/generations")
                .then().statusCode(202).body("lane", equalTo("sync"));
    }

    @Test
    void eachBadInputIsAProblemAndNothingIsStoredOrQueued() throws Exception {
        String notAnImage = upload("alice", "<svg>not a png</svg>".getBytes(StandardCharsets.UTF_8));
        String bobs = upload("bob", png(64, 64, 200));
        String shoes = upload("alice", png(64, 64, 200));
        byte[] riff = java.util.Arrays.copyOf(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'}, 64);
        String webp = upload("alice", riff);
        int queuedBefore = queued();

        refused("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"" + notAnImage + "\"}]}", 415, "input-type-unsupported", "inputs[0]");
        refused("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"" + bobs + "\"}]}", 422, "input-not-found", "inputs[0].upload");
        refused("{\"prompt\":\"p\",\"inputs\":[{\"job\":\"" + UUID.randomUUID() + "\",\"index\":0}]}", 422, "input-not-found",
                "inputs[0].job");
        refused("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"" + shoes + "\"}],\"mask\":{\"upload\":\"" + shoes + "\"}}", 400,
                "invalid-input", "mask");
        refused("{\"prompt\":\"p\",\"model\":\"gemini-2.5-flash-image\",\"inputs\":[{\"upload\":\"" + shoes + "\"},{\"upload\":\""
                + shoes + "\"},{\"upload\":\"" + shoes + "\"},{\"upload\":\"" + shoes + "\"}]}", 400, "invalid-input", "inputs");
        refused("{\"prompt\":\"p\",\"inputs\":[{\"upload\":\"" + shoes + "\",\"colour\":\"red\"}]}", 400, "invalid-request", null);
        refused("{\"prompt\":\"p\",\"model\":\"amazon.nova-canvas-v1:0\",\"inputs\":[{\"upload\":\"" + webp + "\"}]}", 415,
                "input-type-unsupported", "inputs[0]");

        assertEquals(queuedBefore, queued());
    }

    private static void refused(String body, int status, String type, String field) {
        var answer = given().contentType(ContentType.JSON).header("x-pacer-caller", "alice").body(body)
                .when().post("/v1/generations")
                .then().statusCode(status).contentType("application/problem+json")
                .body("type", containsString(type));
        if (field != null) {
            answer.body("field", equalTo(field));
        }
    }

    private static int queued() {
        String url = MotoTestResource.resources().physicalId("JobsQueue");
        return Integer.parseInt(MotoTestResource.clients().sqs().getQueueAttributes(a -> a.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** The form as a browser sends it: the fields in order, then the file last. */
    private static int post(URI url, Map<String, String> fields, byte[] file) throws Exception {
        String boundary = "pacer-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"image\"\r\nContent-Type: "
                + fields.get("Content-Type") + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
