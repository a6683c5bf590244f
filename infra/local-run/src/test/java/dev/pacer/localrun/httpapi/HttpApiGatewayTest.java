package dev.pacer.localrun.httpapi;

import dev.pacer.localrun.lambda.FakeFunctions;
import dev.pacer.localrun.lambda.LocalFunction;
import dev.pacer.localrun.template.TestTemplates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HttpApiGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalFunction function;
    private static HttpApiGateway gateway;

    @BeforeAll
    static void start() {
        function = FakeFunctions.start("Intake", Duration.ofSeconds(3), 2, Map.of());
        // the routes the test template declares for the intake, plus those the fake function reacts to
        List<HttpApiRoute> routes = new java.util.ArrayList<>(HttpApiRoute.of(TestTemplates.shapes()));
        routes.add(new HttpApiRoute("ANY", "/test/{proxy+}", "IntakeFunction"));
        gateway = new HttpApiGateway(Map.of("IntakeFunction", function), routes, 0);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        function.close();
    }

    @Test
    void aPostOnADeclaredRouteBecomesAPayloadV2Event() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/v1/generations?a=1&a=2&b=x%20y"))
                .header("Content-Type", "application/json")
                .header("X-Custom", "one")
                .header("Cookie", "c1=v1; c2=v2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a red fox\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        JsonNode event = JSON.readTree(response.body()).get("event");
        assertEquals("2.0", event.get("version").asText());
        assertEquals("POST /v1/generations", event.get("routeKey").asText());
        assertEquals("/v1/generations", event.get("rawPath").asText());
        assertEquals("a=1&a=2&b=x%20y", event.get("rawQueryString").asText());
        assertEquals("1,2", event.at("/queryStringParameters/a").asText());
        assertEquals("x y", event.at("/queryStringParameters/b").asText());
        assertEquals("application/json", event.at("/headers/content-type").asText());
        assertEquals("one", event.at("/headers/x-custom").asText());
        assertFalse(event.get("headers").has("cookie"));
        assertEquals("c1=v1", event.at("/cookies/0").asText());
        assertEquals("{\"prompt\":\"a red fox\"}", event.get("body").asText());
        assertFalse(event.get("isBase64Encoded").asBoolean());
        assertEquals("POST", event.at("/requestContext/http/method").asText());
        assertEquals("/v1/generations", event.at("/requestContext/http/path").asText());
        assertEquals("127.0.0.1", event.at("/requestContext/http/sourceIp").asText());
        assertEquals("$default", event.at("/requestContext/stage").asText());
        assertTrue(event.at("/requestContext/timeEpoch").asLong() > 0);
        assertEquals(event.at("/requestContext/requestId").asText(), response.headers().firstValue("apigw-requestid").orElseThrow());
    }

    @Test
    void theFunctionsV2ResponseBecomesTheHttpResponse() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/test/created")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode());
        assertEquals("yes", response.headers().firstValue("x-fake").orElseThrow());
        assertEquals("session=abc; Path=/", response.headers().firstValue("set-cookie").orElseThrow());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void pathParametersOfTheMatchedRouteArePassed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/v1/generations/job-42")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode event = JSON.readTree(response.body()).get("event");
        assertEquals("GET /v1/generations/{id}", event.get("routeKey").asText());
        assertEquals("job-42", event.at("/pathParameters/id").asText());
        assertFalse(event.has("body"));
    }

    @Test
    void aBinaryBodyIsBase64Encoded() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/test/upload"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode event = JSON.readTree(response.body()).get("event");
        assertTrue(event.get("isBase64Encoded").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(png), event.get("body").asText());
    }

    @Test
    void undeclaredRoutesGetApiGatewaysNotFound() throws Exception {
        HttpResponse<String> wrongPath = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/v2/nothing")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/v1/generations"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, wrongPath.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", wrongPath.body());
        assertEquals(404, wrongMethod.statusCode());
    }

    @Test
    void aFunctionErrorOrTimeoutIsAnInternalServerError() throws Exception {
        HttpResponse<String> failed = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/test/fail")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> slow = HTTP.send(HttpRequest.newBuilder(gateway.url().resolve("/test/slow")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(500, failed.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", failed.body());
        assertEquals(500, slow.statusCode());
    }

    @Test
    void aRouteToAFunctionThatIsNotRunningIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new HttpApiGateway(
                Map.of("IntakeFunction", function), List.of(new HttpApiRoute("GET", "/v1/other", "OtherFunction")), 0));

        assertEquals("GET /v1/other calls OtherFunction, which is not running", refused.getMessage());
    }

    @Test
    void urlIsOnLocalhost() {
        assertEquals(URI.create("http://localhost:" + gateway.port()), gateway.url());
    }
}
