package dev.pacer.localrun.s3;

import dev.pacer.localrun.iam.LocalIdentities;
import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local run's S3 POST Object on a moto that enforces the template's roles: S3's checks of a form (its signature,
 * its conditions, its content-length-range) and moto's IAM on the signer.
 */
class PostObjectEndpointTest {

    private static MotoServer moto;
    private static ProvisionedResources resources;
    private static LocalIdentities identities;
    private static AwsClients admin;
    private static PostObjectEndpoint endpoint;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        CloudFormationTemplate template = CloudFormationTemplate.load();
        resources = TemplateProvisioner.provision(template, moto.endpoint(), "post-");
        identities = LocalIdentities.create(template, moto.endpoint(), "post-");
        moto.enforceIam();
        admin = AwsClients.forEndpoint(moto.endpoint(), identities.admin());
        endpoint = new PostObjectEndpoint(moto.endpoint(), List.copyOf(identities.functions().values()));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        admin.close();
        moto.close();
    }

    private static String bucket() {
        return resources.physicalId("ImagesBucket");
    }

    /** A form as pacer's intake signs it (dev.pacer.aws.s3.S3PostPolicy): key and type pinned, 1 to max bytes. */
    private static Map<String, String> form(AccessKey signer, String key, String type, long max) {
        Instant now = Instant.now();
        String day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
        String credential = signer.accessKeyId() + "/" + day + "/us-east-1/s3/aws4_request";
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
        String policy = "{\"expiration\":\"" + now.plusSeconds(900) + "\",\"conditions\":[{\"bucket\":\"" + bucket() + "\"},"
                + "[\"eq\",\"$key\",\"" + key + "\"],[\"eq\",\"$Content-Type\",\"" + type + "\"],[\"content-length-range\",1," + max + "],"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"" + credential + "\"},{\"x-amz-date\":\"" + date + "\"}]}";
        String base64 = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", type);
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", date);
        fields.put("policy", base64);
        fields.put("x-amz-signature", PostObjectEndpoint.signature(base64, signer.secretAccessKey(), day, "us-east-1"));
        return fields;
    }

    private static HttpResponse<String> post(Map<String, String> fields, byte[] file) throws Exception {
        String boundary = "b-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n" + field.getValue()
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.formUrl(bucket()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean stored(String key) {
        try {
            admin.s3().headObject(head -> head.bucket(bucket()).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception missing) {
            return false;
        }
    }

    @Test
    void aFormSignedByTheIntakeStoresTheFileAtItsKey() throws Exception {
        String key = "uploads/alice/" + UUID.randomUUID();
        byte[] file = "\r\n--not a boundary\r\n png bytes".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = post(form(identities.of("IntakeFunction"), key, "image/png", 100), file);

        assertEquals(204, answer.statusCode(), answer.body());
        assertArrayEquals(file, admin.s3().getObjectAsBytes(get -> get.bucket(bucket()).key(key)).asByteArray());
        assertEquals("image/png", admin.s3().headObject(head -> head.bucket(bucket()).key(key)).contentType());
    }

    @Test
    void aFileLargerThanThePolicyAllowsIsRefusedAsS3Does() throws Exception {
        String key = "uploads/alice/" + UUID.randomUUID();

        HttpResponse<String> answer = post(form(identities.of("IntakeFunction"), key, "image/png", 10), new byte[11]);

        assertEquals(400, answer.statusCode());
        assertTrue(answer.body().contains("<Code>EntityTooLarge</Code>"), answer.body());
        assertEquals(false, stored(key));
    }

    @Test
    void anotherKeyOrTypeThanThePolicyPinsIsRefused() throws Exception {
        String key = "uploads/alice/" + UUID.randomUUID();
        Map<String, String> otherKey = form(identities.of("IntakeFunction"), key, "image/png", 100);
        otherKey.put("key", key + "-elsewhere");
        Map<String, String> otherType = form(identities.of("IntakeFunction"), key, "image/png", 100);
        otherType.put("Content-Type", "text/html");

        assertEquals(403, post(otherKey, new byte[5]).statusCode());
        assertEquals(403, post(otherType, new byte[5]).statusCode());
        assertEquals(false, stored(key + "-elsewhere"));
    }

    @Test
    void aTamperedPolicyDoesNotMatchItsSignature() throws Exception {
        Map<String, String> fields = form(identities.of("IntakeFunction"), "uploads/a/" + UUID.randomUUID(), "image/png", 10);
        String widened = new String(Base64.getDecoder().decode(fields.get("policy")), StandardCharsets.UTF_8).replace(",1,10]", ",1,999999]");
        fields.put("policy", Base64.getEncoder().encodeToString(widened.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> answer = post(fields, new byte[500]);

        assertEquals(403, answer.statusCode());
        assertTrue(answer.body().contains("SignatureDoesNotMatch"), answer.body());
    }

    @Test
    void aSignerWhoseRoleMayNotPutObjectsIsRefusedByMoto() throws Exception {
        CloudFormationTemplate template = CloudFormationTemplate.load();
        String function = identities.functions().keySet().stream()
                .filter(name -> !dev.pacer.localrun.iam.FunctionRole.of(template, name).actions().contains("s3:PutObject"))
                .findFirst().orElseThrow();
        String key = "uploads/" + UUID.randomUUID();

        HttpResponse<String> answer = post(form(identities.of(function), key, "image/png", 100), new byte[5]);

        assertEquals(403, answer.statusCode(), function + ": " + answer.body());
        assertEquals(false, stored(key));
    }
}
