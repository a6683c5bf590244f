package dev.pacer.localrun.iam;

import dev.pacer.localrun.template.CloudFormationTemplate;
import dev.pacer.localrun.template.TestTemplates;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionRoleTest {

    private static final List<String> LOGS = List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");

    private final CloudFormationTemplate policies = TestTemplates.policies();

    @Test
    void inlineStatementsGiveTheirActionsAndSamsBasicExecutionRole() {
        FunctionRole role = FunctionRole.of(policies, "InlineFunction");

        assertEquals(List.of("TableReadWrite", "QueueSend", "ListWithPrefix", "AWSLambdaBasicExecutionRole"),
                role.statements().stream().map(RoleStatement::sid).toList());
        assertEquals(Set.of("dynamodb:PutItem", "dynamodb:GetItem", "sqs:SendMessage", "s3:ListBucket", LOGS.get(0), LOGS.get(1),
                LOGS.get(2)), role.actions());
    }

    @Test
    void aStatementUnderFnIfIsThereOnlyWhenItsConditionHolds() {
        assertFalse(FunctionRole.of(policies, "InlineFunction").actions().contains("ssm:GetParameter"));

        FunctionRole withPool = FunctionRole.of(policies.withParameter("AccountsParameterName", "/pacer/accounts"), "InlineFunction");
        assertTrue(withPool.actions().contains("ssm:GetParameter"), withPool::toString);
    }

    @Test
    void samPolicyTemplatesManagedPoliciesAndQueueEventsExpandToTheirDocumentedActions() {
        FunctionRole role = FunctionRole.of(policies, "TemplatesFunction");

        assertEquals(List.of("SQSPollerPolicy", "DynamoDBReadPolicy", "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole"),
                role.statements().stream().map(RoleStatement::sid).toList(), "the basic execution role once, though listed too");
        assertTrue(role.actions().containsAll(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibilityBatch",
                "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable")), role::toString);
        assertFalse(role.actions().contains("dynamodb:PutItem"), "a read policy writes nothing");
    }

    @Test
    void theLocalPolicyAllowsEachActionOnEveryResourceWithoutConditions() throws Exception {
        JsonNode document = new ObjectMapper().readTree(FunctionRole.of(policies, "InlineFunction").localPolicyDocument());

        assertEquals("2012-10-17", document.get("Version").asText());
        for (JsonNode statement : document.get("Statement")) {
            assertEquals("Allow", statement.get("Effect").asText());
            assertEquals("*", statement.get("Resource").asText(), "moto matches actions only: " + statement);
            assertFalse(statement.has("Condition"), "moto cannot evaluate s3:prefix: " + statement);
        }
    }

    @Test
    void aRoleAllowedTheItemActionsOfATransactionIsAllowedTheNameMotoChecks() throws Exception {
        JsonNode document = new ObjectMapper().readTree(FunctionRole.of(policies, "InlineFunction").localPolicyDocument());

        JsonNode last = document.get("Statement").get(document.get("Statement").size() - 1);
        assertEquals("MotoTransactionNames", last.get("Sid").asText());
        assertEquals(List.of("dynamodb:TransactGetItems", "dynamodb:TransactWriteItems"),
                new ObjectMapper().convertValue(last.get("Action"), List.class));
        assertFalse(FunctionRole.of(policies, "TemplatesFunction").localPolicyDocument().contains("TransactWriteItems"),
                "reads only: no write transaction");
    }

    @Test
    void whatCannotBeReducedToAllowedActionsIsAnErrorNotAnEmptyGrant() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> FunctionRole.of(policies, "UnknownTemplateFunction"));
        assertTrue(unknown.getMessage().contains("KMSDecryptPolicy"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FunctionRole.of(policies, "DenyFunction"));
        assertThrows(IllegalArgumentException.class, () -> FunctionRole.of(policies, "NotActionFunction"));
        IllegalArgumentException event = assertThrows(IllegalArgumentException.class, () -> FunctionRole.of(policies, "S3EventFunction"));
        assertTrue(event.getMessage().contains("S3 event"), event.getMessage());
    }

    @Test
    void theRealTemplatesRolesTranslate() {
        CloudFormationTemplate real = CloudFormationTemplate.load();

        Set<String> intake = FunctionRole.of(real, "IntakeFunction").actions();
        assertTrue(intake.containsAll(List.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query", "sqs:SendMessage", "s3:GetObject")),
                intake::toString);
        assertTrue(intake.contains("dynamodb:UpdateItem"), "a job the queue refused is marked FAILED: " + intake);
        assertFalse(intake.contains("dynamodb:DeleteItem"), intake::toString);
        assertFalse(intake.contains("ssm:GetParameter"), "no pool parameter by default: " + intake);
        Set<String> worker = FunctionRole.of(real, "WorkerFunction").actions();
        assertTrue(worker.containsAll(List.of("dynamodb:UpdateItem", "s3:PutObject", "s3:ListBucket", "sqs:ChangeMessageVisibility",
                "sqs:ReceiveMessage", "sqs:DeleteMessage")), worker::toString);
        assertTrue(worker.contains("s3:GetObject"), "an edit's reference images are read and streamed to the provider: " + worker);
        assertTrue(intake.contains("s3:PutObject"), "upload forms are signed with the intake's role: " + intake);
        Set<String> release = FunctionRole.of(real, "ReleaseParkedJobsFunction").actions();
        assertTrue(release.contains("dynamodb:DeleteItem"), release::toString);
        assertFalse(release.contains("sqs:ReceiveMessage"), "a scheduled function polls no queue: " + release);
    }
}
