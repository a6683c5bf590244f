package dev.pacer.localrun.template;

import dev.pacer.localrun.lambda.FunctionDefinition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CloudFormationTemplateTest {

    private final CloudFormationTemplate template = TestTemplates.shapes();
    private final ProvisionedResources local = new ProvisionedResources(URI.create("http://127.0.0.1:1"), Map.of(
            "JobsQueue", new ProvisionedResource("JobsQueue", "AWS::SQS::Queue", "http://127.0.0.1:1/123456789012/q", "arn:aws:sqs:us-east-1:123456789012:q"),
            "ImagesBucket", new ProvisionedResource("ImagesBucket", "AWS::S3::Bucket", "images", "arn:aws:s3:::images")));

    @Test
    void shortTagsBecomeTheLongIntrinsicForms() {
        Map<String, Object> queue = template.resource("WorkerFunction").properties();
        Object event = ((Map<?, ?>) ((Map<?, ?>) queue.get("Events")).get("JobsQueueEvent")).get("Properties");

        assertEquals(Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn")), ((Map<?, ?>) event).get("Queue"));
        assertEquals(Map.of("Ref", "JobsTable"), ((Map<?, ?>) ((Map<?, ?>) template.functionGlobals().get("Environment"))
                .get("Variables")).get("PACER_JOBS_TABLE"));
    }

    @Test
    void resolvesRefGetAttSubAndParameterDefaults() {
        assertEquals("http://127.0.0.1:1/123456789012/q", template.resolve(Map.of("Ref", "JobsQueue"), local));
        assertEquals("arn:aws:sqs:us-east-1:123456789012:q", template.resolve(Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn")), local));
        assertEquals("30", template.resolve(Map.of("Ref", "JobRetentionDays"), local));
        assertEquals("s3://images/generations/ in us-east-1",
                template.resolve(Map.of("Fn::Sub", "s3://${ImagesBucket}/generations/ in ${AWS::Region}"), local));
        assertEquals("arn:aws:s3:::images/generations/*", template.resolve(Map.of("Fn::Sub", "${ImagesBucket.Arn}/generations/*"), local));
    }

    @Test
    void parameterOverridesReplaceDefaults() {
        assertEquals("7", template.withParameter("JobRetentionDays", "7").resolve(Map.of("Ref", "JobRetentionDays"), local));
    }

    @Test
    void fnIfTakesTheBranchItsConditionHoldsForTheParameters() {
        Object authorization = template.resource("CreateGenerationRoute").properties().get("AuthorizationType");

        assertEquals("AWS_IAM", template.resolve(authorization, local));
        assertEquals("JWT", template.withParameter("ApiAuth", "JWT").resolve(authorization, local));
        assertEquals(false, template.condition("UseJwtAuth"));
    }

    @Test
    void applyingConditionsDropsNoValueBranchesAndKeepsOtherIntrinsics() {
        Object statements = List.of(
                Map.of("Sid", "Always", "Resource", Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn"))),
                Map.of("Fn::If", List.of("UseJwtAuth", Map.of("Sid", "OnlyWithJwt"), Map.of("Ref", "AWS::NoValue"))));

        assertEquals(List.of(Map.of("Sid", "Always", "Resource", Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn")))),
                template.applyConditions(statements));
        assertEquals(2, ((List<?>) template.withParameter("ApiAuth", "JWT").applyConditions(statements)).size());
    }

    @Test
    void refToSomethingNotProvisionedLocallyIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> template.resolve(Map.of("Ref", "Nowhere"), local));
    }

    @Test
    void theIntakePricesImageStorageForTheStacksImageRetention() {
        CloudFormationTemplate real = CloudFormationTemplate.load().withParameter("ImageRetentionDays", "7");

        assertEquals("7", real.resolveToString(FunctionDefinition.from(real, "IntakeFunction").environment()
                .get("PACER_CAPACITY_IMAGE_RETENTION_DAYS"), local));
    }

    /**
     * The local run allows a role's actions on every resource (moto matches actions only), so the prefixes a role may
     * read are held here: the collector reads a batched edit's inputs as the worker reads a sync edit's, no further.
     */
    @Test
    void theCollectorMayReadTheInputImagesTheWorkerMayAndNoOtherPrefixWithThem() {
        CloudFormationTemplate real = CloudFormationTemplate.load();

        Map<?, ?> collector = statement(real, "BatchCollectorFunction", "InputImagesRead");
        Map<?, ?> worker = statement(real, "WorkerFunction", "InputImagesRead");

        assertEquals(List.of("s3:GetObject"), collector.get("Action"));
        assertEquals(List.of("arn:aws:s3:::images/uploads/*", "arn:aws:s3:::images/generations/*"),
                real.resolve(collector.get("Resource"), local));
        assertEquals(real.resolve(worker.get("Resource"), local), real.resolve(collector.get("Resource"), local));
    }

    private static Map<?, ?> statement(CloudFormationTemplate template, String function, String sid) {
        for (Object policy : (List<?>) template.resource(function).properties().get("Policies")) {
            if (policy instanceof Map<?, ?> document && document.get("Statement") instanceof List<?> statements) {
                for (Object statement : statements) {
                    if (statement instanceof Map<?, ?> found && sid.equals(found.get("Sid"))) {
                        return found;
                    }
                }
            }
        }
        throw new AssertionError(function + " has no statement " + sid);
    }

    @Test
    void findsTheRealTemplateOfTheCheckout() {
        CloudFormationTemplate real = CloudFormationTemplate.load();

        assertEquals("AWS::SQS::Queue", real.resource("JobsQueue").type());
        assertEquals(List.of("IntakeFunction", "WorkerFunction", "DeadLetterFunction", "ReleaseParkedJobsFunction", "BatchCollectorFunction",
                "BatchPollerFunction", "DeliverCallbacksFunction"),
                real.resourcesOfType("AWS::Serverless::Function").stream().map(TemplateResource::logicalId).toList());
    }
}
