package dev.pacer.bench.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The worst-batch benchmark once, tiny: two jobs of one 1 MiB image, so a change that breaks it shows in CI. */
class WorstBatchBenchTest {

    @Test
    void aSmallBatchRunsOnThePackagedWorkerToTheEnd() throws Exception {
        WorstBatchBench.Outcome outcome = WorstBatchBench.measure(1, Duration.ZERO, 1024, 2, 1, "gemini-3-pro-image", Optional.empty());

        assertEquals(2, outcome.succeeded());
        assertEquals(0, outcome.outOfMemoryLines());
    }
}
