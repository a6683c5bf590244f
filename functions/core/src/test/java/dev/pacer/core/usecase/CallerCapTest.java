package dev.pacer.core.usecase;

import dev.pacer.core.job.GenerationRequest;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.JobError;
import dev.pacer.core.job.JobId;
import dev.pacer.core.job.Resolution;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The per-caller cap on jobs not yet finished, over the in-memory job store: when it counts, and what it admits. */
class CallerCapTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final GenerationRequest REQUEST = new GenerationRequest("a fox", "gemini-3.1-flash-image", Resolution.ONE_K,
            "1:1", 1, Map.of());

    /** The in-memory store, and how often the cap asked it to count. */
    private static final class CountedJobs {
        final InMemoryJobs store = new InMemoryJobs();
        private int checked;

        /** Counts the cap asked for; the test's own are left out. */
        int counts() {
            return store.unfinishedCounts() - checked;
        }

        long unfinished(String owner) {
            checked++;
            return store.unfinished(owner, 100);
        }

        /** Admits and, when admitted, stores one job of {@code owner}'s, as SubmitGeneration does. */
        JobId submit(CallerCap cap, String owner) {
            cap.admit(owner);
            Job job = Job.queued(JobId.random(), owner, REQUEST, NOW);
            store.create(job);
            return job.id();
        }
    }

    private final CountedJobs jobs = new CountedJobs();

    @Test
    void aCallerAtTheCapIsRefusedWithTheRetryAfterUntilAJobFinishes() {
        CallerCap cap = new CallerCap(jobs.store, new CallerCap.Settings(3, 20, Duration.ofSeconds(30)));
        List<JobId> alices = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            alices.add(jobs.submit(cap, "alice"));
        }

        CallerCap.CapReachedException refused = assertThrows(CallerCap.CapReachedException.class, () -> jobs.submit(cap, "alice"));
        assertEquals(Duration.ofSeconds(30), refused.retryAfter());
        assertEquals(3, jobs.unfinished("alice"), "nothing stored for the refused one");
        assertDoesNotThrow(() -> jobs.submit(cap, "bob"), "the cap is per caller");

        jobs.store.markFailed(alices.get(0), new JobError("safety_block", "IMAGE_SAFETY"), NOW);
        assertDoesNotThrow(() -> jobs.submit(cap, "alice"), "a finished job frees its place");
        assertThrows(CallerCap.CapReachedException.class, () -> jobs.submit(cap, "alice"));
        jobs.store.cancel(alices.get(1), NOW).orElseThrow();
        assertDoesNotThrow(() -> jobs.submit(cap, "alice"), "so does a cancelled one");
    }

    @Test
    void farBelowTheCapItCountsOnceEveryCountEverySubmissionsAndBeforeEachOneNearIt() {
        CallerCap cap = new CallerCap(jobs.store, new CallerCap.Settings(50, 10, Duration.ofSeconds(30)));

        for (int n = 1; n <= 9; n++) {
            jobs.submit(cap, "alice");
        }
        assertEquals(0, jobs.counts(), "the first nine cost no count");
        jobs.submit(cap, "alice");
        assertEquals(1, jobs.counts(), "the tenth does");
        for (int n = 11; n <= 40; n++) {
            jobs.submit(cap, "alice");
        }
        assertEquals(4, jobs.counts(), "one count per ten while more than ten below the cap");

        for (int n = 41; n <= 50; n++) {
            jobs.submit(cap, "alice");
        }
        assertEquals(14, jobs.counts(), "within ten of the cap, one count per submission");
        assertThrows(CallerCap.CapReachedException.class, () -> jobs.submit(cap, "alice"));
        assertEquals(50, jobs.unfinished("alice"), "never past the cap on one instance");
    }

    @Test
    void eachFurtherInstanceMayLetACallerPassTheCapByLessThanCountEvery() {
        CallerCap first = new CallerCap(jobs.store, new CallerCap.Settings(30, 5, Duration.ofSeconds(30)));
        CallerCap second = new CallerCap(jobs.store, new CallerCap.Settings(30, 5, Duration.ofSeconds(30)));
        for (int n = 0; n < 30; n++) {
            jobs.submit(first, "alice");
        }
        assertThrows(CallerCap.CapReachedException.class, () -> jobs.submit(first, "alice"));

        // a fresh instance knows nothing of alice yet: it admits up to countEvery - 1 before its first count
        int admitted = 0;
        try {
            while (admitted < 100) {
                jobs.submit(second, "alice");
                admitted++;
            }
        } catch (CallerCap.CapReachedException expected) {
            // its first count found her at the cap
        }
        assertEquals(4, admitted);
    }

    @Test
    void aCapOfZeroIsNoCapAndNeverCounts() {
        CallerCap cap = new CallerCap(jobs.store, CallerCap.Settings.off());
        for (int n = 0; n < 100; n++) {
            jobs.submit(cap, "alice");
        }
        assertEquals(0, jobs.counts());
    }
}
