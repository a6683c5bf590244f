package dev.pacer.intake;

import dev.pacer.testsupport.MotoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of malformed request pacer knows of, each answered with a 4xx application/problem+json
 * naming the field at fault, and none of them writing a job or a message.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoTestResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = MotoTestResource.FUNCTION, value = "IntakeFunction"))
class BadInputCatalogTest {

    private static final String JSON = "application/json";

    static Stream<Arguments> badSubmissions() {
        return Stream.of(
                post("not JSON at all", "a red fox", 400, "body"),
                post("truncated JSON", "{\"prompt\":", 400, "body"),
                post("empty body", "", 400, "body"),
                post("JSON null", "null", 400, "body"),
                post("JSON array", "[\"a fox\"]", 400, "body"),
                post("JSON string", "\"a fox\"", 400, "body"),
                post("trailing text after the object", "{\"prompt\":\"a fox\"} and more", 400, "body"),
                post("duplicate key", "{\"prompt\":\"a fox\",\"prompt\":\"a wolf\"}", 400, "body"),
                post("missing prompt", "{\"count\":1}", 400, "prompt"),
                post("null prompt", "{\"prompt\":null}", 400, "prompt"),
                post("blank prompt", "{\"prompt\":\" \\n\\t \"}", 400, "prompt"),
                post("prompt is a number", "{\"prompt\":42}", 400, "prompt"),
                post("prompt is an object", "{\"prompt\":{\"text\":\"a fox\"}}", 400, "prompt"),
                post("prompt over the limit", "{\"prompt\":\"" + "x".repeat(8_001) + "\"}", 400, "prompt"),
                post("prompt with a NUL", "{\"prompt\":\"a fox\\u0000\"}", 400, "prompt"),
                post("prompt with an escape sequence", "{\"prompt\":\"a fox\\u001b[2J\"}", 400, "prompt"),
                post("prompt with an unpaired surrogate", "{\"prompt\":\"a fox \\ud800\"}", 400, "prompt"),
                post("unknown model", "{\"prompt\":\"a fox\",\"model\":\"dall-e-9\"}", 400, "model"),
                post("retired model", "{\"prompt\":\"a fox\",\"model\":\"gpt-image-1\"}", 400, "model"),
                post("alias of no model", "{\"prompt\":\"a fox\",\"model\":\"nano-banana-3\"}", 400, "model"),
                post("model is a number", "{\"prompt\":\"a fox\",\"model\":7}", 400, "model"),
                post("unknown provider field", "{\"prompt\":\"a fox\",\"provider\":\"midjourney\"}", 400, "provider"),
                post("unknown resolution", "{\"prompt\":\"a fox\",\"resolution\":\"8K\"}", 400, "resolution"),
                post("resolution the model lacks", "{\"prompt\":\"a fox\",\"model\":\"gemini-3-pro-image\",\"resolution\":\"0.5K\"}", 400, "resolution"),
                post("resolution is a number", "{\"prompt\":\"a fox\",\"resolution\":1024}", 400, "resolution"),
                post("aspect ratio only 3.1 Flash has", "{\"prompt\":\"a fox\",\"model\":\"gemini-3-pro-image\",\"aspectRatio\":\"1:8\"}", 400, "aspectRatio"),
                post("unknown aspect ratio", "{\"prompt\":\"a fox\",\"aspectRatio\":\"5:1\"}", 400, "aspectRatio"),
                post("aspect ratio the model lacks", "{\"prompt\":\"a fox\",\"model\":\"gpt-image-1.5\",\"aspectRatio\":\"16:9\"}", 400, "aspectRatio"),
                post("count zero", "{\"prompt\":\"a fox\",\"count\":0}", 400, "count"),
                post("count negative", "{\"prompt\":\"a fox\",\"count\":-3}", 400, "count"),
                post("count over the maximum", "{\"prompt\":\"a fox\",\"count\":5}", 400, "count"),
                post("count as a string", "{\"prompt\":\"a fox\",\"count\":\"2\"}", 400, "count"),
                post("count with a fraction", "{\"prompt\":\"a fox\",\"count\":1.5}", 400, "count"),
                post("count past an int", "{\"prompt\":\"a fox\",\"count\":12345678901234}", 400, "count"),
                post("metadata is a list", "{\"prompt\":\"a fox\",\"metadata\":[\"a\"]}", 400, "metadata"),
                post("metadata value is a number", "{\"prompt\":\"a fox\",\"metadata\":{\"n\":1}}", 400, "metadata.n"),
                post("metadata with too many entries", "{\"prompt\":\"a fox\",\"metadata\":" + manyEntries(17) + "}", 400, "metadata"),
                post("callback URL over plain http to a non-loopback host", "{\"prompt\":\"a fox\",\"callbackUrl\":\"http://169.254.169.254/\"}", 400, "callbackUrl"),
                post("callback URL to the metadata service over https", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://169.254.169.254/latest/\"}", 400, "callbackUrl"),
                post("callback URL to a private address spelled as one number", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://167772161/\"}", 400, "callbackUrl"),
                post("callback URL to a private address in hex", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://0xc0.0xa8.0.1/\"}", 400, "callbackUrl"),
                post("callback URL to a unique-local IPv6 address", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://[fd00::1]/\"}", 400, "callbackUrl"),
                post("callback URL that is relative", "{\"prompt\":\"a fox\",\"callbackUrl\":\"/hooks/pacer\"}", 400, "callbackUrl"),
                post("callback URL with another scheme", "{\"prompt\":\"a fox\",\"callbackUrl\":\"ftp://hooks.example.com/x\"}", 400, "callbackUrl"),
                post("callback URL with credentials", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://me:pw@hooks.example.com/x\"}", 400, "callbackUrl"),
                post("callback URL without a host", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https:///x\"}", 400, "callbackUrl"),
                post("callback URL that does not parse", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://hooks example.com/\"}", 400, "callbackUrl"),
                post("callback URL over 2048 characters", "{\"prompt\":\"a fox\",\"callbackUrl\":\"https://hooks.example.com/" + "x".repeat(2030) + "\"}", 400, "callbackUrl"),
                post("callback URL blank", "{\"prompt\":\"a fox\",\"callbackUrl\":\"\"}", 400, "callbackUrl"),
                post("callback URL is a number", "{\"prompt\":\"a fox\",\"callbackUrl\":42}", 400, "callbackUrl"),
                post("callback URL is an object", "{\"prompt\":\"a fox\",\"callbackUrl\":{\"url\":\"https://hooks.example.com\"}}", 400, "callbackUrl"),
                post("deadline in words", "{\"prompt\":\"a fox\",\"deadline\":\"tomorrow\"}", 400, "deadline"),
                post("deadline without an offset", "{\"prompt\":\"a fox\",\"deadline\":\"" + inDays(1).replace("Z", "") + "\"}", 400, "deadline"),
                post("deadline without seconds", "{\"prompt\":\"a fox\",\"deadline\":\"2099-01-01T10:00Z\"}", 400, "deadline"),
                post("deadline that is a date only", "{\"prompt\":\"a fox\",\"deadline\":\"2099-01-01\"}", 400, "deadline"),
                post("deadline on a day that does not exist", "{\"prompt\":\"a fox\",\"deadline\":\"2099-02-30T10:00:00Z\"}", 400, "deadline"),
                post("deadline in the past", "{\"prompt\":\"a fox\",\"deadline\":\"" + inDays(-1) + "\"}", 400, "deadline"),
                post("deadline past the horizon", "{\"prompt\":\"a fox\",\"deadline\":\"" + inDays(31) + "\"}", 400, "deadline"),
                post("deadline blank", "{\"prompt\":\"a fox\",\"deadline\":\"\"}", 400, "deadline"),
                post("deadline as epoch seconds", "{\"prompt\":\"a fox\",\"deadline\":4102444800}", 400, "deadline"),
                post("inputs not a list", "{\"prompt\":\"a fox\",\"inputs\":{\"upload\":\"u1\"}}", 400, "inputs"),
                post("an input that is null", "{\"prompt\":\"a fox\",\"inputs\":[null]}", 400, "inputs[0]"),
                post("an input naming both an upload and a job", "{\"prompt\":\"a fox\",\"inputs\":[{\"upload\":\"u1\",\"job\":\"j\"}]}",
                        400, "inputs[0]"),
                post("an upload with an index", "{\"prompt\":\"a fox\",\"inputs\":[{\"upload\":\"u1\",\"index\":1}]}", 400,
                        "inputs[0].index"),
                post("an input index as text", "{\"prompt\":\"a fox\",\"inputs\":[{\"job\":\"j\",\"index\":\"0\"}]}", 400,
                        "inputs[0].index"),
                post("an unknown upload", "{\"prompt\":\"a fox\",\"inputs\":[{\"upload\":\"nobodys\"}]}", 422, "inputs[0].upload"),
                post("a job id that is no job id", "{\"prompt\":\"a fox\",\"inputs\":[{\"job\":\"../etc\"}]}", 422, "inputs[0].job"),
                post("a mask without inputs", "{\"prompt\":\"a fox\",\"mask\":{\"upload\":\"u1\"}}", 400, "mask"),
                post("more inputs than the model takes", "{\"prompt\":\"a fox\",\"model\":\"amazon.nova-canvas-v1:0\",\"inputs\":["
                        + "{\"upload\":\"a\"},{\"upload\":\"b\"},{\"upload\":\"c\"},{\"upload\":\"d\"},{\"upload\":\"e\"},{\"upload\":\"f\"}]}",
                        400, "inputs"),
                Arguments.of("body over 64 KiB", request(spec -> spec.contentType(JSON)
                        .body("{\"prompt\":\"a fox\",\"metadata\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}")), 413, "body"),
                Arguments.of("body not UTF-8", request(spec -> spec.contentType(JSON)
                        .body(new byte[] {'{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})), 400, "body"),
                Arguments.of("body in Latin-1", request(spec -> spec.contentType(JSON)
                        .body("{\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))), 400, "body"),
                Arguments.of("text/plain content type", request(spec -> spec.contentType("text/plain").body("{\"prompt\":\"a fox\"}")), 415, null),
                Arguments.of("form content type", request(spec -> spec.contentType("application/x-www-form-urlencoded").body("prompt=a+fox")), 415, null),
                Arguments.of("Idempotency-Key with slashes", request(spec -> spec.contentType(JSON).header("Idempotency-Key", "../../keys")
                        .body("{\"prompt\":\"a fox\"}")), 400, "Idempotency-Key"),
                Arguments.of("Idempotency-Key with spaces", request(spec -> spec.contentType(JSON).header("Idempotency-Key", "my key")
                        .body("{\"prompt\":\"a fox\"}")), 400, "Idempotency-Key"),
                Arguments.of("Idempotency-Key too long", request(spec -> spec.contentType(JSON).header("Idempotency-Key", "k".repeat(256))
                        .body("{\"prompt\":\"a fox\"}")), 400, "Idempotency-Key"),
                Arguments.of("Idempotency-Key empty", request(spec -> spec.contentType(JSON).header("Idempotency-Key", "")
                        .body("{\"prompt\":\"a fox\"}")), 400, "Idempotency-Key"),
                Arguments.of("Idempotency-Key only spaces", request(spec -> spec.contentType(JSON).header("Idempotency-Key", "   ")
                        .body("{\"prompt\":\"a fox\"}")), 400, "Idempotency-Key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void aBadSubmissionIsAProblemNamingTheFieldAndStoresNothing(String kind, UnaryOperator<RequestSpecification> request,
            int status, String field) {
        int jobsBefore = jobItems();
        int messagesBefore = messages();

        var answer = request.apply(given()).when().post("/v1/generations")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue());
        if (field != null) {
            answer.body("field", equalTo(field));
        }

        assertEquals(jobsBefore, jobItems(), "no job record written");
        assertEquals(messagesBefore, messages(), "nothing enqueued");
    }

    static Stream<Arguments> badJobIds() {
        return Stream.of(
                Arguments.of("not-a-job", 400),
                Arguments.of("ABCDEF00-0000-4000-8000-000000000000", 400),
                Arguments.of("00000000-0000-4000-8000-0000000000001", 400),
                Arguments.of("..%2F..%2Fetc%2Fpasswd", 400),
                Arguments.of("%00", 400),
                Arguments.of("00000000-0000-4000-8000-000000000000", 404));
    }

    @ParameterizedTest(name = "GET /v1/generations/{0}")
    @MethodSource("badJobIds")
    void aMalformedOrUnknownJobIdIsAProblem(String id, int status) {
        given().urlEncodingEnabled(false).when().get("/v1/generations/" + id)
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status));
    }

    /** An RFC 3339 instant {@code days} from now, in UTC. */
    private static String inDays(int days) {
        return java.time.Instant.now().plus(java.time.Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static Arguments post(String kind, String json, int status, String field) {
        return Arguments.of(kind, request(spec -> spec.contentType(JSON).body(json)), status, field);
    }

    private static UnaryOperator<RequestSpecification> request(UnaryOperator<RequestSpecification> spec) {
        return spec;
    }

    private static String manyEntries(int n) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return json.append('}').toString();
    }

    private static int jobItems() {
        return MotoTestResource.clients().dynamoDb()
                .scan(scan -> scan.tableName(MotoTestResource.resources().physicalId("JobsTable"))).count();
    }

    private static int messages() {
        String url = MotoTestResource.resources().physicalId("JobsQueue");
        Map<QueueAttributeName, String> attributes = MotoTestResource.clients().sqs().getQueueAttributes(a -> a.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
