package dev.pacer.localrun.iam;

import dev.pacer.localrun.moto.AccessKey;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.ProvisionedResources;
import dev.pacer.localrun.template.TemplateProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real template's roles as IAM users in a moto that enforces IAM: what each function may and may not do. */
class LocalIdentitiesTest {

    private static MotoServer moto;
    private static ProvisionedResources resources;
    private static LocalIdentities identities;
    private static AwsClients admin;

    @BeforeAll
    static void enforceTheTemplatesRoles() {
        moto = MotoServer.start();
        CloudFormationTemplate template = CloudFormationTemplate.load();
        resources = TemplateProvisioner.provision(template, moto.endpoint(), "iam-");
        identities = LocalIdentities.create(template, moto.endpoint(), "iam-");
        moto.enforceIam();
        admin = AwsClients.forEndpoint(moto.endpoint(), identities.admin());
        admin.s3().putObject(p -> p.bucket(resources.physicalId("ImagesBucket")).key("generations/job/0.png"), RequestBody.fromString("png"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        moto.close();
    }

    @Test
    void aFunctionIsDeniedAnActionItsRoleLacks() {
        try (DynamoDbClient intake = AwsClients.dynamoDb(moto.endpoint(), identities.of("IntakeFunction"))) {
            Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("job-1"));
            intake.putItem(p -> p.tableName(jobsTable()).item(key));

            AwsServiceException denied = assertThrows(AwsServiceException.class,
                    () -> intake.deleteItem(d -> d.tableName(jobsTable()).key(key)));

            assertEquals(403, denied.statusCode(), denied::toString);
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertTrue(denied.getMessage().contains("iam-IntakeFunction is not authorized to perform: dynamodb:DeleteItem"), denied::getMessage);
        }
    }

    @Test
    void eachFunctionMayTakeTheActionsItsRoleAllows() {
        try (DynamoDbClient release = AwsClients.dynamoDb(moto.endpoint(), identities.of("ReleaseParkedJobsFunction"));
             AwsClients worker = AwsClients.forEndpoint(moto.endpoint(), identities.of("WorkerFunction"))) {
            release.deleteItem(d -> d.tableName(resources.physicalId("QuotaTable"))
                    .key(Map.of("pk", AttributeValue.fromS("parked"), "sk", AttributeValue.fromS("job-1"))));
            worker.s3().listObjectsV2(l -> l.bucket(resources.physicalId("ImagesBucket")).prefix("generations/job/"));
            worker.sqs().sendMessage(s -> s.queueUrl(resources.physicalId("JobsQueue")).messageBody("{}").delaySeconds(900));
        }
    }

    @Test
    void aPresignedUrlOpensOnlyForAFunctionAllowedToGetTheObject() throws Exception {
        assertEquals(200, download(identities.of("IntakeFunction")));
        assertEquals(403, download(identities.of("ReleaseParkedJobsFunction")), "a role without s3:GetObject signs no working URL");
    }

    @Test
    void theAdminMayDoAnythingAndTheDefaultTestKeyNothing() {
        admin.dynamoDb().deleteItem(d -> d.tableName(jobsTable()).key(Map.of("id", AttributeValue.fromS("job-2"))));
        assertEquals(1, admin.s3().listObjectsV2(l -> l.bucket(resources.physicalId("ImagesBucket")).prefix("generations/")).keyCount());

        try (AwsClients test = AwsClients.forEndpoint(moto.endpoint(), AccessKey.TEST)) {
            AwsServiceException refused = assertThrows(AwsServiceException.class, () -> test.dynamoDb().listTables());
            assertEquals(403, refused.statusCode(), refused::toString);
            assertEquals("UnrecognizedClientException", refused.awsErrorDetails().errorCode());
        }
    }

    private static int download(AccessKey key) throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(moto.endpoint()).region(Region.of(AwsClients.REGION))
                .credentialsProvider(key.provider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .getObjectRequest(g -> g.bucket(resources.physicalId("ImagesBucket")).key("generations/job/0.png"))).url().toURI();
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static String jobsTable() {
        return resources.physicalId("JobsTable");
    }
}
