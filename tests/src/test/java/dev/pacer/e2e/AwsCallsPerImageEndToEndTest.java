package dev.pacer.e2e;

import dev.pacer.aws.calls.AwsCall;
import dev.pacer.bench.CallsPerImage;
import dev.pacer.bench.CallsPerImage.JobCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one image costs in AWS calls when all goes well, counted by the packaged functions' own call log in the
 * local run: a fresh worker and then the same worker warm. Each call named here carries a guarantee (the job
 * recorded before it is queued; claimed before the provider is called; quota reserved in one conditional write;
 * the image stored before the job says SUCCEEDED); anything more is a regression.
 */
class AwsCallsPerImageEndToEndTest {

    private static final int BUDGET = 6;

    @TempDir
    Path dir;

    @Test
    void oneImageOnTheHappyPathCostsSixAwsCallsFromIntakeToSucceeded() {
        List<JobCalls> jobs = CallsPerImage.measure(2, dir.resolve("aws-calls.tsv"), line -> { });

        for (JobCalls job : jobs) {
            String table = CallsPerImage.table(job.calls());
            assertTrue(job.calls().size() <= BUDGET, () -> "more than " + BUDGET + " AWS calls for one image:\n" + table);
            assertEquals(List.of(
                    "IntakeFunction DynamoDb PutItem DynamoDbJobStore.create",
                    "IntakeFunction Sqs SendMessage SqsJobQueue.enqueue",
                    "WorkerFunction DynamoDb UpdateItem DynamoDbJobStore.claim",
                    "WorkerFunction DynamoDb PutItem DynamoDbQuotaStateStore.replace",
                    "WorkerFunction S3 PutObject S3ImageStore.put",
                    "WorkerFunction DynamoDb UpdateItem DynamoDbJobStore.markSucceeded"),
                    job.calls().stream().map(AwsCallsPerImageEndToEndTest::site).toList(), table);
            assertTrue(job.calls().stream().allMatch(call -> call.outcome().equals("ok")), table);
        }
    }

    /** Function, service, operation and the adapter method, without the line number. */
    private static String site(AwsCall call) {
        return call.function() + " " + call.serviceOperation() + " " + call.adapter().replaceFirst(":\\d+$", "");
    }
}
