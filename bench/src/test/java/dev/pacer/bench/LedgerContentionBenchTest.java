package dev.pacer.bench;

import dev.pacer.aws.quota.DynamoDbQuotaStateStore;
import dev.pacer.localrun.moto.AwsClients;
import dev.pacer.localrun.moto.MotoServer;
import dev.pacer.localrun.template.TemplateProvisioner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One tiny configuration against moto, so the benchmark cannot rot; the figures are bench/README.md's business. */
class LedgerContentionBenchTest {

    @Test
    void aTinyRunReservesAndReports() throws Exception {
        try (MotoServer moto = MotoServer.start(); AwsClients clients = AwsClients.forEndpoint(moto.endpoint())) {
            String table = TemplateProvisioner.provision(moto.endpoint()).physicalId("QuotaTable");

            LedgerContentionBench.Result result = LedgerContentionBench.run(new DynamoDbQuotaStateStore(clients.dynamoDb(), table),
                    "smoke", 1, 2, 5, Duration.ofSeconds(1), Duration.ofSeconds(2));

            assertEquals(result.calls(), result.granted() + result.refused());
            assertTrue(result.granted() > 0, "granted " + result.granted());
        }
    }

    @Test
    void theBusiestMinuteCountsGrantsInsideSixtySecondsOnly() {
        Instant t = Instant.parse("2026-06-01T17:00:00Z");
        List<Instant> times = List.of(t, t.plusSeconds(30), t.plusSeconds(59), t.plusSeconds(60), t.plusSeconds(60), t.plusSeconds(200));

        assertEquals(4, LedgerContentionBench.busiestRollingMinute(times), "30 s, 59 s and twice 60 s; t itself has left the window");
    }
}
