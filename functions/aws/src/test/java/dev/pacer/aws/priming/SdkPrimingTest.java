package dev.pacer.aws.priming;

import dev.pacer.aws.priming.SdkPriming.Call;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdkPrimingTest {

    @Test
    void everyCallRunsThroughTheSdkOnceAndSucceedsWithoutANetwork() {
        SdkPriming.Report report = SdkPriming.prime(EnumSet.allOf(Call.class));

        assertEquals(List.of(Call.values()), report.steps().stream().map(SdkPriming.Step::call).toList());
        for (SdkPriming.Step step : report.steps()) {
            assertEquals(Optional.empty(), step.failure(), step.call() + " failed");
            assertEquals(1, step.requests(), step.call() + " reached the canned client once (no SDK retry)");
        }
        assertTrue(report.allPrimed(), report.toString());
    }

    @Test
    void primesOnlyTheCallsAsked() {
        SdkPriming.Report report = SdkPriming.prime(Set.of(Call.SQS_SEND_MESSAGE, Call.DYNAMODB_PUT_ITEM));

        assertEquals(List.of(Call.DYNAMODB_PUT_ITEM, Call.SQS_SEND_MESSAGE), report.steps().stream().map(SdkPriming.Step::call).toList());
    }

    @Test
    void aFailureIsReportedNotThrown() {
        var failing = new SdkPriming.Report(List.of(new SdkPriming.Step(Call.S3_PUT_OBJECT, java.time.Duration.ofMillis(3), 1,
                Optional.of("SdkClientException: boom"))));

        assertTrue(!failing.allPrimed());
        assertTrue(failing.toString().contains("S3_PUT_OBJECT 3 ms (SdkClientException: boom)"), failing.toString());
    }
}
