package dev.pacer.bench.intake;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each benchmark method once, outside JMH, so a change to the intake that breaks the benchmark shows in CI. */
class IntakeSubmitBenchTest {

    @Test
    void theSubmitPathAcceptsTheEventAndTheBaselineAnswersIt() throws Exception {
        IntakeSubmitBench bench = new IntakeSubmitBench();
        bench.setUp();

        String accepted = new String(bench.submit(), StandardCharsets.UTF_8);
        String baseline = new String(bench.baselineEventRoundTrip(), StandardCharsets.UTF_8);

        assertTrue(accepted.contains("\"statusCode\":202") && accepted.contains("QUEUED"), accepted);
        assertTrue(baseline.contains("\"statusCode\":202"), baseline);
    }
}
