package dev.pacer.bench.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One repetition of every cold start the benchmark times, so a change that breaks a subject or a baseline shows in CI. */
class ColdStartBenchTest {

    @Test
    void everyFunctionAndBaselineStartsColdAndAnswersItsFirstEvent() {
        Map<ColdStartBench.Subject, List<ColdStartBench.Start>> starts = ColdStartBench.measure(1);

        assertEquals(List.of("intake", "intake, not primed", "bare HTTP Lambda", "bare HTTP Lambda + the same calls",
                        "worker", "worker, not primed", "bare SQS Lambda", "bare SQS Lambda + the same calls"),
                starts.keySet().stream().map(ColdStartBench.Subject::name).toList());
        starts.forEach((subject, list) -> {
            assertEquals(1, list.size(), subject.name());
            assertTrue(list.get(0).init().compareTo(Duration.ZERO) > 0 && list.get(0).firstEvent().compareTo(Duration.ZERO) > 0,
                    subject.name() + ": " + list.get(0));
        });
    }
}
