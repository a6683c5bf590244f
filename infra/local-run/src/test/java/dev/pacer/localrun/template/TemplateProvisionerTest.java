package dev.pacer.localrun.template;

import dev.pacer.localrun.moto.MotoWithClients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class TemplateProvisionerTest {

    @RegisterExtension
    static MotoWithClients motoWithClients = new MotoWithClients();

    @Test
    void createsTablesWithTheRealTemplatesKeySchemaAndTtl() {
        CloudFormationTemplate template = CloudFormationTemplate.load();
        ProvisionedResources resources = TemplateProvisioner.provision(motoWithClients.moto().endpoint(), "real-");

        for (TemplateResource table : template.resourcesOfType("AWS::DynamoDB::Table")) {
            String name = resources.physicalId(table.logicalId());
            assertEquals("real-" + table.logicalId(), name);
            TableDescription description = motoWithClients.clients().dynamoDb().describeTable(d -> d.tableName(name)).table();
            List<Map<String, String>> expected = keySchemaOf(template, table);
            List<Map<String, String>> actual = description.keySchema().stream()
                    .map(k -> Map.of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString())).toList();
            assertEquals(expected, actual, table.logicalId());
            assertEquals(description.tableArn(), resources.arn(table.logicalId()));
            var ttl = motoWithClients.clients().dynamoDb().describeTimeToLive(d -> d.tableName(name)).timeToLiveDescription();
            assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
            assertEquals("expiresAt", ttl.attributeName());
        }
        KeySchemaElement quotaRange = motoWithClients.clients().dynamoDb().describeTable(d -> d.tableName("real-QuotaTable")).table().keySchema().get(1);
        assertEquals(KeyType.RANGE, quotaRange.keyType());
    }

    @Test
    void createsQueuesWithTheRealTemplatesRedriveToTheDeadLetterQueue() throws Exception {
        ProvisionedResources resources = TemplateProvisioner.provision(motoWithClients.moto().endpoint(), "real-");

        Map<QueueAttributeName, String> attributes = motoWithClients.clients().sqs().getQueueAttributes(g -> g
                .queueUrl(resources.physicalId("JobsQueue")).attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("4320", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        JsonNode redrive = new ObjectMapper().readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals(resources.arn("JobsDeadLetterQueue"), redrive.get("deadLetterTargetArn").asText());
        assertEquals(5, redrive.get("maxReceiveCount").asInt());
        assertTrue(resources.arn("JobsDeadLetterQueue").startsWith("arn:aws:sqs:us-east-1:"));
    }

    @Test
    void createsTheRealTemplatesBucketWithALowercaseName() {
        ProvisionedResources resources = TemplateProvisioner.provision(motoWithClients.moto().endpoint(), "real-");

        String bucket = resources.physicalId("ImagesBucket");
        assertEquals("real-imagesbucket", bucket);
        motoWithClients.clients().s3().headBucket(h -> h.bucket(bucket));
        motoWithClients.clients().s3().putObject(p -> p.bucket(bucket).key("generations/x/0.png"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("png"));
    }

    @Test
    void provisioningTwiceReusesWhatExists() {
        ProvisionedResources first = TemplateProvisioner.provision(motoWithClients.moto().endpoint(), "twice-");
        ProvisionedResources second = TemplateProvisioner.provision(motoWithClients.moto().endpoint(), "twice-");

        assertEquals(first, second);
    }

    @Test
    void createsGlobalSecondaryIndexesDeclaredInTheTemplate() {
        ProvisionedResources resources = TemplateProvisioner.provision(TestTemplates.shapes(), motoWithClients.moto().endpoint(), "shapes-");

        TableDescription jobs = motoWithClients.clients().dynamoDb().describeTable(d -> d.tableName(resources.physicalId("JobsTable"))).table();
        assertEquals("byIdempotencyKey", jobs.globalSecondaryIndexes().get(0).indexName());
        assertEquals("idempotencyKey", jobs.globalSecondaryIndexes().get(0).keySchema().get(0).attributeName());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> keySchemaOf(CloudFormationTemplate template, TemplateResource table) {
        return ((List<Map<String, Object>>) table.properties().get("KeySchema")).stream()
                .map(k -> Map.of("AttributeName", String.valueOf(k.get("AttributeName")), "KeyType", String.valueOf(k.get("KeyType"))))
                .toList();
    }
}
