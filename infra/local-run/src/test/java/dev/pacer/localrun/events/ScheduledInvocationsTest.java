package dev.pacer.localrun.events;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduledInvocationsTest {

    @Test
    void readsEventBridgeRateExpressions() {
        assertEquals(Duration.ofMinutes(5), ScheduledInvocations.period("rate(5 minutes)"));
        assertEquals(Duration.ofMinutes(1), ScheduledInvocations.period("rate(1 minute)"));
        assertEquals(Duration.ofHours(2), ScheduledInvocations.period(" rate(2 hours) "));
    }

    @Test
    void aScaledScheduleRunsItsPeriodTimesTheScaleButNoMoreThanOnceASecond() {
        assertEquals(Duration.ofSeconds(6), ScheduledInvocations.scaled("rate(1 minute)", 0.1));
        assertEquals(Duration.ofMinutes(5), ScheduledInvocations.scaled("rate(5 minutes)", 1));
        assertEquals(Duration.ofSeconds(1), ScheduledInvocations.scaled("rate(1 minute)", 0.001));
    }

    @Test
    void refusesWhatItCannotRunRatherThanNeverRunningIt() {
        assertThrows(IllegalArgumentException.class, () -> ScheduledInvocations.period("cron(0 8 * * ? *)"));
    }
}
