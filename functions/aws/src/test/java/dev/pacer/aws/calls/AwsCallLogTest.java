package dev.pacer.aws.calls;

import dev.pacer.aws.MotoResources;
import dev.pacer.aws.dynamodb.DynamoDbJobStore;
import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import dev.pacer.localrun.moto.AwsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsCallLogTest {

    @RegisterExtension
    static MotoResources moto = new MotoResources();

    @TempDir
    Path dir;

    @Test
    void recordsEachCallWithItsServiceOperationOutcomeAndTheAdapterMethodThatMadeIt() {
        Path log = dir.resolve("calls.tsv");
        Job job = Job.queued(JobId.random(), "alice", new GenerationRequest("a wren", "gemini-2.5-flash-image",
                Resolution.ONE_K, "1:1", 1, Map.of()), Instant.parse("2026-11-27T10:00:00Z"));

        try (DynamoDbClient dynamoDb = dynamoDbLoggingTo(new AwsCallLog(
                Map.of(AwsCallLog.VARIABLE, log.toString(), "AWS_LAMBDA_FUNCTION_NAME", "Worker")))) {
            var store = new DynamoDbJobStore(dynamoDb, moto.resources().physicalId("JobsTable"), Duration.ofDays(1));
            store.create(job);
            assertThrows(ConditionalCheckFailedException.class, () -> store.create(job));
        }

        List<AwsCall> calls = AwsCallLog.read(log);
        assertEquals(2, calls.size(), calls::toString);
        assertEquals(List.of("ok", "ConditionalCheckFailedException"), calls.stream().map(AwsCall::outcome).toList());
        for (AwsCall call : calls) {
            assertEquals("Worker", call.function());
            assertEquals("DynamoDb PutItem", call.serviceOperation());
            assertTrue(call.adapter().startsWith("DynamoDbJobStore.create:"), call::toString);
            assertEquals("-", call.useCase(), "no use case in between: the test called the adapter");
        }
    }

    @Test
    void writesNothingWhenNoFileIsNamed() {
        Path log = dir.resolve("calls.tsv");
        try (DynamoDbClient dynamoDb = dynamoDbLoggingTo(new AwsCallLog(Map.of()))) {
            dynamoDb.listTables();
        }

        assertEquals(List.of(), AwsCallLog.read(log));
    }

    @Test
    void aLineReadsBackAsTheCallItWasWrittenFrom() {
        AwsCall call = new AwsCall("Intake", "SQS", "SendMessage", "ok", "SqsJobQueue.enqueue:30", "SubmitGeneration.submit:70");
        assertEquals(call, AwsCall.parse(call.toLine()));
    }

    private static DynamoDbClient dynamoDbLoggingTo(AwsCallLog interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(moto.server().endpoint())
                .region(Region.of(AwsClients.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsClients.ACCESS_KEY_ID, AwsClients.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(interceptor).build())
                .build();
    }
}
