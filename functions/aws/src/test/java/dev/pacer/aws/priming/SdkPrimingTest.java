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
    void aFailingWarmupIsReportedNotThrownAndTheCallsAreStillPrimed() {
        SdkPriming.Report report = SdkPriming.prime(Set.of(Call.S3_PUT_OBJECT), () -> {
            throw new java.io.IOException("no mapper");
        });

        assertEquals(Optional.empty(), report.steps().get(0).failure());
        assertEquals(Optional.of("java.io.IOException: no mapper"), report.warmupFailure());
        assertTrue(!report.allPrimed());
        assertTrue(report.toString().endsWith("; warm-up failed: java.io.IOException: no mapper"), report.toString());
    }

    @Test
    void theWarmupRunsAfterTheCallsAndCountsInTheTime() {
        long[] ranAt = new long[1];
        long began = System.nanoTime();
        SdkPriming.Report report = SdkPriming.prime(Set.of(Call.DYNAMODB_GET_ITEM), () -> ranAt[0] = System.nanoTime());

        assertTrue(report.allPrimed(), report.toString());
        assertTrue(ranAt[0] > began);
        assertTrue(report.took().compareTo(report.steps().get(0).took()) >= 0, report.toString());
    }
}
