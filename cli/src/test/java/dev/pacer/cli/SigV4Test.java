package dev.pacer.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's requests, signed by the SDK's SigV4 signer, as a server sees them: the Authorization header's form,
 * and a signature the same signer computes again from what arrived (so the Host, path, query and body the client
 * sent are the ones it signed).
 */
class SigV4Test {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/eu-west-1/execute-api/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T20:30:00Z"), ZoneOffset.UTC);
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDEXAMPLE", "secret", "session-token"));

    private StubApi server;

    @BeforeEach
    void startServer() {
        server = new StubApi()
                .answer("GET", "/v1/quota", 200, "{\"accounts\":[]}")
                .answer("POST", "/v1/generations", 202, "{\"id\":\"job-1\",\"status\":\"QUEUED\"}")
                .answer("GET", "/v1/capacity", 200, "{}");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void everyRequestCarriesASigV4SignatureTheServerCanRecompute() {
        PacerApi api = new PacerApi(server.url(), Optional.of(new SigV4(CREDENTIALS, "eu-west-1", CLOCK)));

        api.quota();
        api.submit(Json.object().put("prompt", "a red fox"), "pacer-cli-key");
        api.capacity("gemini-3.1-flash-image", "0.5K", Optional.of(12.0));

        List<StubApi.Received> received = server.received();
        assertEquals(3, received.size());
        for (StubApi.Received request : received) {
            Matcher authorization = AUTHORIZATION.matcher(request.headers().getOrDefault("authorization", ""));
            assertTrue(authorization.matches(), request.headers().toString());
            List<String> signedHeaders = List.of(authorization.group(1).split(";"));
            assertTrue(signedHeaders.containsAll(List.of("host", "x-amz-date", "x-amz-security-token")), signedHeaders.toString());
            assertEquals("20261127T203000Z", request.headers().get("x-amz-date"));
            assertEquals("session-token", request.headers().get("x-amz-security-token"));
            assertEquals(authorization.group(2), recomputedSignature(request, signedHeaders), request.method() + " " + request.uri());
        }
        assertTrue(List.of(received.get(1).headers().get("authorization").split("SignedHeaders=")[1].split(",")[0].split(";"))
                .contains("idempotency-key"), "the idempotency key is signed");
    }

    @Test
    void withoutSigV4NoAuthorizationIsSent() {
        new PacerApi(server.url(), Optional.empty()).quota();

        assertFalse(server.received().get(0).headers().containsKey("authorization"));
    }

    @Test
    void executeApiHostsAreSignedForTheirOwnRegion() {
        assertTrue(SigV4.isExecuteApiHost("abc123.execute-api.eu-central-1.amazonaws.com"));
        assertEquals(Optional.of("eu-central-1"), SigV4.regionOf("abc123.execute-api.eu-central-1.amazonaws.com"));
        assertEquals(Optional.of("cn-north-1"), SigV4.regionOf("abc123.execute-api.cn-north-1.amazonaws.com.cn"));
        assertFalse(SigV4.isExecuteApiHost("localhost"));
        assertFalse(SigV4.isExecuteApiHost("images.example.com"));
        assertEquals(Optional.empty(), SigV4.regionOf("execute-api.eu-central-1.amazonaws.com.evil.example"));
    }

    /** The signer again, over the request as received, with the headers the client said it signed. */
    private static String recomputedSignature(StubApi.Received request, List<String> signedHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        signedHeaders.stream().filter(name -> !name.equals("host") && !name.startsWith("x-amz-"))
                .forEach(name -> headers.put(name, request.headers().get(name)));
        URI uri = URI.create("http://" + request.headers().get("host") + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
        Map<String, List<String>> signed = new SigV4(CREDENTIALS, "eu-west-1", CLOCK).sign(request.method(), uri, headers, request.body());
        Matcher authorization = AUTHORIZATION.matcher(signed.get("Authorization").get(0));
        assertTrue(authorization.matches(), signed.toString());
        return authorization.group(2);
    }
}
