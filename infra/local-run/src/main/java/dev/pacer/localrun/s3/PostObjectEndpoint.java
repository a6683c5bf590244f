package dev.pacer.localrun.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * S3's POST Object (browser-based uploads) for the local run, which moto cannot play once IAM is enforced: moto 5.2
 * answers a form POST with a 500 (it looks for an Authorization header a form has not), and without enforcement it
 * stores the file without checking the policy at all.
 *
 * <p>This endpoint does what S3 does with a form: it finds the signer's secret by the access key in
 * {@code x-amz-credential} (the local identities'), checks the SigV4 signature over the base64 policy, the expiration,
 * and every condition (bucket, {@code eq} and {@code starts-with} on fields, {@code content-length-range}), then puts
 * the file into moto signed as that signer, so moto's IAM decides whether the signer may put at that key. Errors
 * come back as S3's XML error documents with S3's codes (AccessDenied, SignatureDoesNotMatch, EntityTooLarge, ...).
 * POST {@code /<bucket>}; the intake's {@code PACER_UPLOADS_FORM_URL} points its forms here.
 */
public final class PostObjectEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest body read: a bit over the largest upload pacer signs (under 50 MB). */
    private static final int MAX_BODY = 60 * 1024 * 1024;

    private final HttpServer server;
    private final URI moto;
    private final Map<String, AccessKey> keys = new LinkedHashMap<>();

    /** @param keys every access key a form may be signed with (the local identities') */
    public PostObjectEndpoint(URI moto, Collection<AccessKey> keys) {
        this.moto = moto;
        keys.forEach(key -> this.keys.put(key.accessKeyId(), key));
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the S3 POST endpoint", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "s3-post-object");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where the forms of {@code bucket} are POSTed. */
    public URI formUrl(String bucket) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + bucket);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Refusal(int status, String code, String message) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Refusal refusal;
            try {
                refusal = upload(exchange);
            } catch (RuntimeException e) {
                refusal = new Refusal(400, "MalformedPOSTRequest", String.valueOf(e.getMessage()));
            }
            if (refusal == null) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + refusal.code() + "</Code><Message>"
                    + refusal.message().replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(refusal.status(), xml.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(xml);
            }
        }
    }

    private Refusal upload(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return new Refusal(405, "MethodNotAllowed", "only POST Object is served here");
        }
        String bucket = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "");
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            return new Refusal(400, "EntityTooLarge", "the form is larger than this endpoint reads");
        }
        MultipartForm form = MultipartForm.parse(contentType, body);
        Map<String, String> fields = form.fields();
        byte[] file = form.file().orElse(null);
        if (file == null) {
            return new Refusal(400, "InvalidArgument", "POST requires exactly one file upload per request");
        }
        String policyBase64 = field(fields, "policy");
        String credential = field(fields, "x-amz-credential");
        String signature = field(fields, "x-amz-signature");
        if (policyBase64 == null || credential == null || signature == null) {
            return new Refusal(403, "AccessDenied", "the form has no policy, credential or signature");
        }
        String[] scope = credential.split("/");
        AccessKey key = keys.get(scope[0]);
        if (key == null || scope.length != 5) {
            return new Refusal(403, "InvalidAccessKeyId", "the access key in x-amz-credential is not known");
        }
        if (!MessageDigest.isEqual(signature(policyBase64, key.secretAccessKey(), scope[1], scope[2]).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return new Refusal(403, "SignatureDoesNotMatch", "the signature does not match the policy");
        }
        JsonNode policy = JSON.readTree(Base64.getDecoder().decode(policyBase64));
        if (Instant.parse(policy.path("expiration").asText("1970-01-01T00:00:00Z")).isBefore(Instant.now())) {
            return new Refusal(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
        }
        for (JsonNode condition : policy.path("conditions")) {
            Refusal broken = check(condition, bucket, fields, file.length);
            if (broken != null) {
                return broken;
            }
        }
        String objectKey = field(fields, "key");
        try (S3Client s3 = AwsClients.forEndpoint(moto, key).s3()) {
            s3.putObject(put -> put.bucket(bucket).key(objectKey).contentType(field(fields, "content-type")), RequestBody.fromBytes(file));
        } catch (S3Exception denied) {
            return new Refusal(denied.statusCode(), denied.awsErrorDetails().errorCode(), denied.awsErrorDetails().errorMessage());
        }
        return null;
    }

    private static Refusal check(JsonNode condition, String bucket, Map<String, String> fields, long size) {
        if (condition.isObject()) {
            var entry = condition.fields().next();
            String expected = entry.getValue().asText();
            String actual = "bucket".equals(entry.getKey()) ? bucket : field(fields, entry.getKey());
            return expected.equals(actual) ? null : denied(entry.getKey() + " is not " + expected);
        }
        String op = condition.path(0).asText();
        if ("content-length-range".equals(op)) {
            long min = condition.path(1).asLong();
            long max = condition.path(2).asLong();
            if (size > max) {
                return new Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            }
            return size < min ? new Refusal(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size") : null;
        }
        String name = condition.path(1).asText().replaceFirst("^\\$", "");
        String value = condition.path(2).asText();
        String actual = "bucket".equals(name) ? bucket : Optional.ofNullable(field(fields, name)).orElse("");
        boolean holds = switch (op) {
            case "eq" -> actual.equals(value);
            case "starts-with" -> actual.startsWith(value);
            default -> false;
        };
        return holds ? null : denied("Invalid according to Policy: Policy Condition failed: " + condition);
    }

    private static Refusal denied(String message) {
        return new Refusal(403, "AccessDenied", message);
    }

    /** Form field names are case-insensitive to S3. */
    private static String field(Map<String, String> fields, String name) {
        return fields.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    static String signature(String base64Policy, String secret, String day, String region) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, base64Policy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
