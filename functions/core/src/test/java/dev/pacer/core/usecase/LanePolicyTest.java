package dev.pacer.core.usecase;

import dev.pacer.core.catalog.TestCatalog;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;
import dev.pacer.core.quota.AccountPool;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanePolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final LanePolicy policy = LanePolicy.standard();
    private final BatchSupport support = new BatchSupport(TestCatalog.standard(),
            new AccountPool(List.of(BatchLaneFixture.account("project-a"))));

    private LaneChoice choose(String asked, String model, Optional<Instant> deadline) {
        return policy.choose(Optional.ofNullable(asked), model, deadline, support, NOW);
    }

    @Test
    void noLaneIsTheSyncLaneAsBefore() {
        assertEquals(LaneChoice.SYNC_BY_DEFAULT, choose(null, TestCatalog.FLASH, Optional.empty()));
    }

    @Test
    void syncAndBatchAreTakenAsAsked() {
        assertEquals(Lane.SYNC, choose("sync", TestCatalog.FLASH, Optional.empty()).lane());
        assertEquals(new LaneChoice(Lane.BATCH, "asked for the batch lane"), choose("batch", TestCatalog.FLASH, Optional.of(NOW.plusSeconds(60))));
    }

    @Test
    void autoPicksTheBatchLaneWhenTheDeadlineLeavesTheTargetAndTheMargin() {
        LaneChoice roomy = choose("auto", TestCatalog.FLASH, Optional.of(NOW.plusSeconds(26 * 3600)));
        assertEquals(Lane.BATCH, roomy.lane());
        assertTrue(roomy.reason().contains("26 h"), roomy.reason());

        LaneChoice tight = choose("auto", TestCatalog.FLASH, Optional.of(NOW.plusSeconds(26 * 3600 - 60)));
        assertEquals(Lane.SYNC, tight.lane());
        assertTrue(tight.reason().contains("less than the batch lane's 26 h"), tight.reason());
    }

    @Test
    void autoWithoutADeadlinePicksTheCheaperBatchLane() {
        assertEquals(Lane.BATCH, choose("auto", TestCatalog.FLASH, Optional.empty()).lane());
    }

    @Test
    void autoPicksTheSyncLaneForAModelWithoutABatchLaneAndBatchIsRefusedForIt() {
        LaneChoice auto = choose("auto", TestCatalog.NOVA_CANVAS, Optional.empty());
        assertEquals(Lane.SYNC, auto.lane());
        assertTrue(auto.reason().contains("has no batch lane"), auto.reason());

        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> choose("batch", TestCatalog.NOVA_CANVAS, Optional.empty()));
        assertEquals("lane", refused.field());
        assertEquals(Lane.SYNC, choose("auto", TestCatalog.PRO, Optional.empty()).lane(), "no account of the pool serves it");
    }

    @Test
    void anyOtherLaneIsABadRequestNamingTheField() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> choose("fast", TestCatalog.FLASH, Optional.empty()));
        assertEquals("lane", refused.field());
        assertTrue(refused.getMessage().contains("\"sync\", \"batch\" or \"auto\""), refused.getMessage());
    }
}
