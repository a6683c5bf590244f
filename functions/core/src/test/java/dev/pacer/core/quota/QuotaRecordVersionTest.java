package dev.pacer.core.quota;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaRecordVersionTest {

    private static final WindowState EMPTY = WindowState.empty(LocalDate.of(2026, 12, 1));

    @Test
    void aRecordRecreatedLaterStartsAboveEveryVersionItsPredecessorCouldHaveCounted() {
        long created = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long first = QuotaStateStore.newRecordVersion(created);
        // the record lived a minute and was written a million times, then expired and was made again a second later
        long last = first + 1_000_000;
        long recreated = QuotaStateStore.newRecordVersion(created + 61_000);

        assertTrue(recreated > last, recreated + " must exceed " + last);
    }

    @Test
    void twoRecordsMadeInOneMillisecondGetDifferentVersions() {
        long now = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

        assertTrue(QuotaStateStore.newRecordVersion(now) != QuotaStateStore.newRecordVersion(now));
    }

    @Test
    void aNewRecordsVersionComesFromTheTimeAndAnExistingOneCountsUp() {
        long before = System.currentTimeMillis() * 1_000;
        long created = QuotaStateStore.stored(0, EMPTY).version();

        assertTrue(created >= before && created < (System.currentTimeMillis() + 1) * 1_000, "a new record's version is the time's: " + created);
        assertEquals(created + 1, QuotaStateStore.stored(created, EMPTY).version());
    }
}
