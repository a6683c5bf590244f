package dev.pacer.core.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pacer.core.job.JobStatus.CANCELLED;
import static dev.pacer.core.job.JobStatus.FAILED;
import static dev.pacer.core.job.JobStatus.QUEUED;
import static dev.pacer.core.job.JobStatus.RUNNING;
import static dev.pacer.core.job.JobStatus.SUCCEEDED;
import static dev.pacer.core.job.JobStatus.WAITING_FOR_QUOTA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle table, written out once more by hand so that a change to it is a change to this test too. */
class JobTransitionTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant LEASE_END = T0.plusSeconds(60);

    /** Where each move may start, and where it leads (empty: the status stays). */
    private static final Map<JobTransition, Set<JobStatus>> FROM = Map.ofEntries(
            Map.entry(JobTransition.CLAIM, EnumSet.of(QUEUED, WAITING_FOR_QUOTA)),
            Map.entry(JobTransition.TAKE_OVER, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.SUCCEED, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.FAIL, EnumSet.of(QUEUED, WAITING_FOR_QUOTA, RUNNING)),
            Map.entry(JobTransition.RELEASE, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.WAIT_FOR_QUOTA, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.CANCEL, EnumSet.of(QUEUED, WAITING_FOR_QUOTA)),
            Map.entry(JobTransition.REQUEST_CANCEL, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.CANCEL_INSTEAD_OF_RETRY, EnumSet.of(RUNNING)),
            Map.entry(JobTransition.RECORD_CALLBACK, EnumSet.allOf(JobStatus.class)),
            Map.entry(JobTransition.BATCH, EnumSet.of(QUEUED)),
            Map.entry(JobTransition.SUCCEED_BATCHED, EnumSet.of(JobStatus.BATCHED)),
            Map.entry(JobTransition.FAIL_BATCHED, EnumSet.of(JobStatus.BATCHED)),
            Map.entry(JobTransition.UNBATCH, EnumSet.of(JobStatus.BATCHED)),
            Map.entry(JobTransition.MOVE_TO_SYNC_LANE, EnumSet.of(QUEUED)));
    private static final Map<JobTransition, Optional<JobStatus>> TO = Map.ofEntries(
            Map.entry(JobTransition.CLAIM, Optional.of(RUNNING)),
            Map.entry(JobTransition.TAKE_OVER, Optional.of(RUNNING)),
            Map.entry(JobTransition.SUCCEED, Optional.of(SUCCEEDED)),
            Map.entry(JobTransition.FAIL, Optional.of(FAILED)),
            Map.entry(JobTransition.RELEASE, Optional.of(QUEUED)),
            Map.entry(JobTransition.WAIT_FOR_QUOTA, Optional.of(WAITING_FOR_QUOTA)),
            Map.entry(JobTransition.CANCEL, Optional.of(CANCELLED)),
            Map.entry(JobTransition.REQUEST_CANCEL, Optional.empty()),
            Map.entry(JobTransition.CANCEL_INSTEAD_OF_RETRY, Optional.of(CANCELLED)),
            Map.entry(JobTransition.RECORD_CALLBACK, Optional.empty()),
            Map.entry(JobTransition.BATCH, Optional.of(JobStatus.BATCHED)),
            Map.entry(JobTransition.SUCCEED_BATCHED, Optional.of(SUCCEEDED)),
            Map.entry(JobTransition.FAIL_BATCHED, Optional.of(FAILED)),
            Map.entry(JobTransition.UNBATCH, Optional.of(QUEUED)),
            Map.entry(JobTransition.MOVE_TO_SYNC_LANE, Optional.of(QUEUED)));
    /** The moves only a job on one lane may take; the rest take a job on either. */
    private static final Map<JobTransition, Lane> LANE = Map.of(JobTransition.MOVE_TO_SYNC_LANE, Lane.BATCH);
    /** What each move makes of a request to cancel the job, noted while it ran; the rest ignore it. */
    private static final Map<JobTransition, JobTransition.CancelRequest> CANCEL_REQUEST = Map.of(
            JobTransition.RELEASE, JobTransition.CancelRequest.REFUSED,
            JobTransition.WAIT_FOR_QUOTA, JobTransition.CancelRequest.REFUSED,
            JobTransition.CANCEL_INSTEAD_OF_RETRY, JobTransition.CancelRequest.REQUIRED);

    @ParameterizedTest
    @EnumSource(JobTransition.class)
    void eachMoveStartsFromTheStatusesTheTableNamesAndLeadsWhereItSays(JobTransition move) {
        assertEquals(FROM.get(move), move.from());
        assertEquals(TO.get(move), move.to());
        assertEquals(move == JobTransition.TAKE_OVER, move.requiresExpiredLease(), "only a takeover looks at the lease");
        assertEquals(CANCEL_REQUEST.getOrDefault(move, JobTransition.CancelRequest.IGNORED), move.cancelRequest());
        assertEquals(Optional.ofNullable(LANE.get(move)), move.requiredLane());
    }

    @ParameterizedTest
    @EnumSource(JobTransition.class)
    void eachMoveIsAllowedFromItsStatusesAndRefusedFromEveryOther(JobTransition move) {
        Instant afterTheLease = LEASE_END.plusSeconds(1);
        for (JobStatus status : JobStatus.values()) {
            // a lease that ran out, and a cancel request where the move needs one, so that only the status decides
            Job job = job(status, Optional.of(LEASE_END), move.cancelRequest() == JobTransition.CancelRequest.REQUIRED)
                    .withLane(new LaneChoice(LANE.getOrDefault(move, Lane.SYNC), "the lane the move needs"));
            assertEquals(FROM.get(move).contains(status), move.allows(job, afterTheLease), move + " from " + status);
        }
    }

    @Test
    void onceItsOwnerAskedToCancelARunningJobItIsNeverTriedAgainAndItsAttemptMayCancelIt() {
        Job asked = job(RUNNING, Optional.of(LEASE_END), true);
        Job notAsked = job(RUNNING, Optional.of(LEASE_END), false);

        for (JobTransition retry : EnumSet.of(JobTransition.RELEASE, JobTransition.WAIT_FOR_QUOTA)) {
            assertFalse(retry.allows(asked, T0), retry + " after a cancel request");
            assertTrue(retry.allows(notAsked, T0), retry + " without one");
        }
        assertTrue(JobTransition.CANCEL_INSTEAD_OF_RETRY.allows(asked, T0));
        assertFalse(JobTransition.CANCEL_INSTEAD_OF_RETRY.allows(notAsked, T0), "only what its owner asked for");
        for (JobTransition end : EnumSet.of(JobTransition.SUCCEED, JobTransition.FAIL, JobTransition.REQUEST_CANCEL)) {
            assertTrue(end.allows(asked, T0), end + ": the call under way may still end the job as it ends");
        }
        assertTrue(JobTransition.TAKE_OVER.allows(asked, LEASE_END.plusSeconds(1)), "a crashed attempt's job is taken over, to be ended");
        assertFalse(JobTransition.CANCEL.allows(notAsked, T0), "a running job is never cancelled outright");
    }

    @Test
    void onlyAJobWaitingOnTheBatchLaneMovesToTheSyncLane() {
        Job waiting = job(QUEUED, Optional.empty()).withLane(new LaneChoice(Lane.BATCH, "asked for the batch lane"));
        Job onSync = job(QUEUED, Optional.empty()).withLane(new LaneChoice(Lane.SYNC, "asked for the sync lane"));

        assertTrue(JobTransition.MOVE_TO_SYNC_LANE.allows(waiting, T0));
        assertFalse(JobTransition.MOVE_TO_SYNC_LANE.allows(onSync, T0), "a sync-lane job is where the move leads already");
        for (JobTransition any : EnumSet.complementOf(EnumSet.of(JobTransition.MOVE_TO_SYNC_LANE))) {
            assertEquals(any.allows(waiting, T0), any.allows(onSync, T0), any + " does not look at the lane");
        }
    }

    @Test
    void aRunningJobIsTakenOverOnlyOnceItsLeaseRanOut() {
        Job running = job(RUNNING, Optional.of(LEASE_END));

        assertFalse(JobTransition.TAKE_OVER.allows(running, T0), "the attempt holds it");
        assertFalse(JobTransition.TAKE_OVER.allows(running, LEASE_END), "the lease's last instant still holds it");
        assertFalse(JobTransition.TAKE_OVER.allows(running, LEASE_END.plusNanos(999_999)), "leases count in whole milliseconds");
        assertTrue(JobTransition.TAKE_OVER.allows(running, LEASE_END.plusMillis(1)));
        assertFalse(JobTransition.CLAIM.allows(running, LEASE_END.plusSeconds(1)), "a RUNNING job is taken over, not claimed");
    }

    @Test
    void aRunningJobWithoutALeaseIsNeverTakenOver() {
        assertFalse(JobTransition.TAKE_OVER.allows(job(RUNNING, Optional.empty()), LEASE_END.plusSeconds(3600)));
    }

    @Test
    void theMovesThatEndAnAttemptDoNotLookAtItsLease() {
        Job held = job(RUNNING, Optional.of(LEASE_END));
        Job expired = job(RUNNING, Optional.of(T0.minusSeconds(1)));
        for (JobTransition end : EnumSet.of(JobTransition.SUCCEED, JobTransition.FAIL, JobTransition.RELEASE,
                JobTransition.WAIT_FOR_QUOTA)) {
            assertTrue(end.allows(held, T0), end + " while the lease holds");
            assertTrue(end.allows(expired, T0), end + " after it ran out");
        }
    }

    @Test
    void aQueuedJobsLeaseIsNotConsultedForAClaim() {
        assertTrue(JobTransition.CLAIM.allows(job(QUEUED, Optional.empty()), T0));
        assertTrue(JobTransition.CLAIM.allows(job(WAITING_FOR_QUOTA, Optional.of(LEASE_END)), T0));
    }

    private static Job job(JobStatus status, Optional<Instant> leaseUntil) {
        return job(status, leaseUntil, false);
    }

    private static Job job(JobStatus status, Optional<Instant> leaseUntil, boolean cancelRequested) {
        Job queued = Job.queued(JobId.random(), "alice", new GenerationRequest("a fox", "gemini-3.1-flash-image",
                Resolution.ONE_K, "1:1", 1, Map.of()), T0);
        return new Job(queued.id(), queued.owner(), status, queued.request(), queued.createdAt(), queued.startedAt(),
                queued.finishedAt(), queued.attempts(), queued.account(), queued.images(), queued.error(), queued.attemptLog(),
                queued.callback(), leaseUntil, Optional.empty(), Optional.empty(), cancelRequested ? Optional.of(T0) : Optional.empty());
    }
}
