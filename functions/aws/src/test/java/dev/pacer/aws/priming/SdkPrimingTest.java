package dev.pacer.aws.priming;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdkPrimingTest {

    @Test
    void everyAdapterCallOfASubmissionRunsThroughTheSdkOnceAndSucceedsWithoutANetwork() {
        assertEachCallSucceededWithOneRequest(SdkPriming.prime(SdkPriming.SUBMISSION), SdkPriming.SUBMISSION);
    }

    @Test
    void everyAdapterCallOfAJobRunsThroughTheSdkOnceAndSucceedsWithoutANetwork() {
        // the lost race included: the canned DynamoDB refuses a second new record, and the adapter reads the winner from it
        assertEachCallSucceededWithOneRequest(SdkPriming.prime(SdkPriming.JOB_DELIVERY), SdkPriming.JOB_DELIVERY);
    }

    private static void assertEachCallSucceededWithOneRequest(SdkPriming.Report report, List<SdkPriming.Call> calls) {
        assertEquals(calls.stream().map(SdkPriming.Call::name).toList(), report.calls());
        for (SdkPriming.Step step : report.steps()) {
            assertEquals(Optional.empty(), step.failure(), step.call() + " failed");
            assertEquals(1, step.requests(), step.call() + " reached the canned services once (no SDK retry)");
        }
        assertTrue(report.allPrimed(), report.toString());
    }

    @Test
    void aCallTheCannedServicesCannotAnswerIsReportedNotThrown() {
        SdkPriming.Report report = SdkPriming.prime(List.of(
                new SdkPriming.Call("ImageStore.stored", adapters -> adapters.images().stored("generations/")),
                new SdkPriming.Call("JobStore.find", adapters -> adapters.jobs().find(new dev.pacer.core.job.JobId(
                        "00000000-0000-4000-8000-000000000000")))));

        assertTrue(report.steps().get(0).failure().isPresent(), report.toString());
        assertEquals(Optional.empty(), report.steps().get(1).failure(), "the calls after a failed one still run");
        assertFalse(report.allPrimed());
    }

    @Test
    void aFailingWarmupIsReportedNotThrownAndTheCallsAreStillPrimed() {
        SdkPriming.Report report = SdkPriming.prime(SdkPriming.SUBMISSION.subList(0, 1), () -> {
            throw new java.io.IOException("no mapper");
        });

        assertEquals(Optional.empty(), report.steps().get(0).failure());
        assertEquals(Optional.of("java.io.IOException: no mapper"), report.warmupFailure());
        assertFalse(report.allPrimed());
        assertTrue(report.toString().endsWith("; warm-up failed: java.io.IOException: no mapper"), report.toString());
    }

    @Test
    void theWarmupRunsAfterTheCallsAndCountsInTheTime() {
        long[] ranAt = new long[1];
        long began = System.nanoTime();
        SdkPriming.Report report = SdkPriming.prime(SdkPriming.SUBMISSION.subList(2, 3), () -> ranAt[0] = System.nanoTime());

        assertTrue(report.allPrimed(), report.toString());
        assertTrue(ranAt[0] > began);
        assertTrue(report.took().compareTo(report.steps().get(0).took()) >= 0, report.toString());
    }
}
