package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlinePolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final DeadlinePolicy policy = DeadlinePolicy.standard();

    @Test
    void anRfc3339DateTimeIsTheInstantItNamesWhateverItsOffsetAndCase() {
        assertEquals(Instant.parse("2026-12-01T18:00:00Z"), policy.validate("2026-12-01T18:00:00Z", NOW));
        assertEquals(Instant.parse("2026-12-01T18:00:00Z"), policy.validate("2026-12-01T19:00:00+01:00", NOW));
        assertEquals(Instant.parse("2026-12-01T18:00:00.250Z"), policy.validate("2026-12-01t18:00:00.25z", NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tomorrow", "2026-12-02", "2026-12-02T10:00Z", "2026-12-02T10:00:00", "2026-12-02 10:00:00Z",
            "2026-02-30T10:00:00Z", "2026-12-02T24:00:00Z", "1796205600"})
    void anythingElseIsRefusedNamingTheField(String raw) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> policy.validate(raw, NOW));
        assertEquals("deadline", refused.field());
        assertTrue(refused.getMessage().contains("RFC 3339"), refused::getMessage);
    }

    @Test
    void aDeadlineIsInTheFutureAndWithinTheHorizon() {
        assertEquals("deadline: must be in the future",
                assertThrows(InvalidRequestException.class, () -> policy.validate("2026-12-01T10:00:00Z", NOW)).getMessage());
        assertEquals(NOW.plus(DeadlinePolicy.STANDARD_HORIZON), policy.validate("2026-12-31T10:00:00Z", NOW));
        assertEquals("deadline: must be at most 30 days ahead",
                assertThrows(InvalidRequestException.class, () -> policy.validate("2026-12-31T10:00:01Z", NOW)).getMessage());
    }
}
