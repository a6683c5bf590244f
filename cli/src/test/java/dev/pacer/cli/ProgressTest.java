package dev.pacer.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void theLiveLineShowsEveryStatusTheShareDoneAndTheEta() {
        Tally tally = new Tally(3, 1, 2, 3, 1, 4, 12);

        String line = ProgressLine.render(tally, Optional.of(Duration.ofSeconds(125)), List.of("quota 14 img/min free"), true);

        assertEquals("[#######xx...............]  40%  4/10 jobs | 3 queued | 1 waiting for quota | 2 running | 3 succeeded"
                + " | 1 failed | 4/12 images | ETA 2m 05s | quota 14 img/min free", line);
    }

    @Test
    void plainLinesHaveNoBarStatusesWithoutJobsAreLeftOutAndAFinishedBatchHasNoEta() {
        Tally done = new Tally(0, 0, 0, 2, 0, 3, 3);

        assertEquals("100%  2/2 jobs | 2 succeeded | 3/3 images", ProgressLine.render(done, Optional.of(Duration.ZERO), List.of(), false));
        assertEquals("  0%  0/2 jobs | 2 queued | 0/2 images | ETA unknown",
                ProgressLine.render(new Tally(2, 0, 0, 0, 0, 0, 2), Optional.empty(), List.of(), false));
    }

    @Test
    void aLiveLineIsCutToTheTerminalSoItNeverWraps() {
        String line = ProgressLine.render(new Tally(3, 1, 2, 3, 1, 4, 12), Optional.empty(), List.of("quota 14 img/min free"), true);

        assertEquals(79, ProgressLine.fit(line, 80).length());
        assertTrue(ProgressLine.fit(line, 80).endsWith("..."));
        assertEquals(line, ProgressLine.fit(line, 500));
    }

    @Test
    void theBarIsAlwaysFullWhenEveryJobFinished() {
        for (int succeeded = 0; succeeded <= 7; succeeded++) {
            String bar = ProgressLine.bar(new Tally(0, 0, 0, succeeded, 7 - succeeded, 0, 7));
            assertEquals(ProgressLine.BAR_WIDTH + 2, bar.length());
            assertEquals(-1, bar.indexOf('.'), bar);
        }
    }

    @Test
    void cancelledJobsAreFinishedShownAsDashesAndCountedOnTheirOwn() {
        Tally tally = new Tally(0, 0, 2, 1, 0, 1, 1, 4);

        assertEquals("[######------............]  50%  2/4 jobs | 2 running | 1 succeeded | 1 cancelled | 1/4 images | ETA unknown",
                ProgressLine.render(tally, Optional.empty(), List.of(), true));
        for (int cancelled = 0; cancelled <= 7; cancelled++) {
            String bar = ProgressLine.bar(new Tally(0, 0, 0, 7 - cancelled, 0, cancelled, 0, 7));
            assertEquals(-1, bar.indexOf('.'), bar);
        }
    }

    @Test
    void durationsReadLikeAPerson() {
        assertEquals("45s", ProgressLine.duration(Duration.ofSeconds(45)));
        assertEquals("3m 05s", ProgressLine.duration(Duration.ofSeconds(185)));
        assertEquals("2h 10m", ProgressLine.duration(Duration.ofMinutes(130)));
        assertEquals("3d 4h", ProgressLine.duration(Duration.ofHours(76)));
    }

    @Test
    void theObservedRateWinsOnceImagesFinishWhileWatching() {
        assertEquals(Optional.of(Duration.ofSeconds(60)), Eta.observed(30, 10, Duration.ofSeconds(20)));
        assertEquals(Optional.empty(), Eta.observed(30, 0, Duration.ofSeconds(20)));
        assertEquals(Optional.of(Duration.ZERO), Eta.observed(0, 0, Duration.ZERO));
    }

    @Test
    void beforeThatCapacityGivesTheSlowerOfQuotaAndWorkersPerGroup() {
        // 5 workers × 60 s / 15 s = 20 images/min, under a 30 images/min quota: 40 images take 2 minutes
        Eta.Group workerBound = new Eta.Group(40, 40, Optional.of(30.0), Optional.of(15.0), Optional.of(5));
        // quota-bound: 10 images/min; 2 images per job doubles what the workers make, not the quota
        Eta.Group quotaBound = new Eta.Group(5, 10, Optional.of(10.0), Optional.of(30.0), Optional.of(10));

        assertEquals(Optional.of(Duration.ofMinutes(2)), Eta.fromCapacity(List.of(workerBound)));
        assertEquals(Optional.of(Duration.ofMinutes(3)), Eta.fromCapacity(List.of(workerBound, quotaBound)));
        assertEquals(Optional.empty(), Eta.fromCapacity(List.of(new Eta.Group(1, 1, Optional.empty(), Optional.empty(), Optional.empty()))));
    }

    @Test
    void quotaNotesSumTheHeadroomOfTheBatchsModelsAndWarnAboutTheDay() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        var quota = Json.read("""
                {"accounts":[
                 {"account":"a","model":"m","appliedLimits":{"rpm":10,"ipm":10,"rpd":100},
                  "used":{"requestsLastMinute":2,"imagesLastMinute":4,"requestsToday":97,"providerDayResetsAt":"2026-11-28T08:00:00Z"}},
                 {"account":"b","model":"m","appliedLimits":{"rpm":10,"ipm":10,"rpd":100},
                  "used":{"imagesLastMinute":0,"requestsToday":99},"coolingDownUntil":"2026-11-27T12:00:30Z"},
                 {"account":"c","model":"other","appliedLimits":{"rpm":10,"ipm":50,"rpd":100},"used":{"imagesLastMinute":0}}]}
                """);

        assertEquals(List.of("quota 6 img/min free (some accounts cooling down)", "only 4 requests left today, resets 08:00:00Z"),
                Outlook.quotaNotes(quota, Set.of("m"), 5, now));
        assertEquals(List.of("quota 50 img/min free"), Outlook.quotaNotes(quota, Set.of("other"), 5, now));
        assertEquals(List.of(), Outlook.quotaNotes(quota, Set.of("unknown"), 5, now));
    }

    @Test
    void batchedJobsAreCountedAndTheirProviderBatchesNamed() {
        Tally tally = new Tally(1, 0, 0, 4, 1, 0, 0, 1, 6, List.of("batches/1 (RUNNING)", "batches/2 (PENDING)"));

        String line = ProgressLine.render(tally, Optional.empty(), List.of(), false);

        assertTrue(line.contains("| 4 batched |"), line);
        assertTrue(line.contains("in batches/1 (RUNNING), batches/2 (PENDING)"), line);
        assertEquals(6, tally.jobs());
    }
}
