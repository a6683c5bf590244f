package dev.pacer.aws.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacer.core.port.UploadForms;
import dev.pacer.core.upload.PresignedPost;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs S3 POST policies (browser-based uploads, Signature Version 4), which the AWS SDK for Java v2 has no helper
 * for. A presigned PUT cannot limit the size of what is sent; a POST policy can: S3 refuses a file outside its
 * {@code content-length-range}, at another key, or of another Content-Type.
 *
 * <p>The policy document is JSON, sent base64-encoded as the {@code policy} field; that base64 text is the string to
 * sign, with the usual SigV4 signing key (HMAC-SHA256 of date, region, {@code s3}, {@code aws4_request}, keyed by
 * {@code AWS4} + the secret key). Signed with the credentials the S3 client uses: the function role's in Lambda.
 */
public final class S3PostPolicy implements UploadForms {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final Region region;
    private final URI url;
    private final String bucket;
    private final Clock clock;

    /**
     * @param url where the form is POSTed: the bucket's virtual-hosted URL deployed, {@code endpoint/bucket} on moto
     */
    public S3PostPolicy(IdentityProvider<? extends AwsCredentialsIdentity> credentials, Region region, URI url, String bucket, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.url = url;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** Signed with the S3 client's credentials, for its region and endpoint (path-style where an endpoint is overridden). */
    public static S3PostPolicy forClient(S3Client s3, String bucket, Clock clock) {
        return forClient(s3, bucket, clock, java.util.Optional.empty());
    }

    /**
     * As {@link #forClient(S3Client, String, Clock)}, with the forms POSTed to {@code formUrl} where one is given: the
     * local run's stand-in for S3's POST Object, which moto cannot serve with IAM enforced.
     */
    public static S3PostPolicy forClient(S3Client s3, String bucket, Clock clock, java.util.Optional<URI> formUrl) {
        S3ServiceClientConfiguration config = s3.serviceClientConfiguration();
        Region region = config.region();
        URI url = formUrl.orElseGet(() -> bucketUrl(config, bucket, region));
        return new S3PostPolicy(config.credentialsProvider(), region, url, bucket, clock);
    }

    private static URI bucketUrl(S3ServiceClientConfiguration config, String bucket, Region region) {
        return config.endpointOverride()
                .map(endpoint -> URI.create(endpoint.toString().replaceAll("/+$", "") + "/" + bucket))
                .orElseGet(() -> URI.create("https://" + bucket + ".s3." + region.id() + ".amazonaws.com/"));
    }

    @Override
    public PresignedPost sign(String key, String contentType, long maxBytes, Duration validFor) {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(validFor);
        String credential = identity.accessKeyId() + "/" + DAY.format(now) + "/" + region.id() + "/s3/aws4_request";
        String date = STAMP.format(now);
        String token = sessionToken(identity);

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", date);
        if (token != null) {
            fields.put("x-amz-security-token", token);
        }
        String policy = Base64.getEncoder().encodeToString(policyDocument(expires, key, contentType, maxBytes, fields)
                .getBytes(StandardCharsets.UTF_8));
        fields.put("policy", policy);
        fields.put("x-amz-signature", signature(policy, identity.secretAccessKey(), DAY.format(now), region.id()));
        return new PresignedPost(url, fields, expires);
    }

    /** The conditions: this bucket, exactly this key and type, 1 to {@code maxBytes} bytes, and the signing fields. */
    String policyDocument(Instant expires, String key, String contentType, long maxBytes, Map<String, String> signingFields) {
        ObjectNode policy = JSON.createObjectNode();
        policy.put("expiration", DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.MILLIS)));
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        conditions.addArray().add("eq").add("$key").add(key);
        conditions.addArray().add("eq").add("$Content-Type").add(contentType);
        conditions.addArray().add("content-length-range").add(1).add(maxBytes);
        signingFields.forEach((name, value) -> {
            if (name.startsWith("x-amz-")) {
                conditions.addObject().put(name, value);
            }
        });
        return policy.toString();
    }

    /** SigV4 for a POST policy: the string to sign is the base64 policy itself. */
    static String signature(String base64Policy, String secretAccessKey, String day, String region) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), day);
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
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A role's credentials (Lambda's) carry a session token, which the form must send and the policy name. */
    private static String sessionToken(AwsCredentialsIdentity identity) {
        return identity instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
    }
}
