package dev.pacer.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One tiny run of one scenario (a minute scaled to 3 s), so the benchmark cannot rot; the figures are bench/README.md's. */
class QuotaBenchTest {

    @Test
    void aTinyRunOfTheSubWindowScenarioReportsEachClient() throws Exception {
        List<QuotaBench.Result> results = QuotaBench.run('b', new QuotaBench.Settings(Duration.ofSeconds(6), Duration.ofSeconds(3), 12,
                Duration.ofMillis(20), 4, Duration.ofMillis(50)));

        assertEquals(3, results.size());
        QuotaBench.Result learning = results.get(0);
        assertEquals("pacer, learning", learning.client());
        assertTrue(learning.images() > 0, learning.toString());
        assertTrue(learning.succeeded() >= learning.images(), learning.toString());
    }
}
