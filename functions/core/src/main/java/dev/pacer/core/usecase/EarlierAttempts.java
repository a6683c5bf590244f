package dev.pacer.core.usecase;

import dev.pacer.core.job.Attempt;
import dev.pacer.core.job.Job;
import dev.pacer.core.job.StoredImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What earlier attempts of a job left behind. One that claimed the job but never logged its outcome died on the way
 * (Lambda timeout, crash): perhaps after its request reached the provider, perhaps after storing some or all of its
 * images.
 */
final class EarlierAttempts {

    private final JobImages images;
    private final AttemptLog log;

    EarlierAttempts(JobImages images, AttemptLog log) {
        this.images = images;
        this.log = log;
    }

    /** The claimed job with its lost attempts in its log (as the calls to write), and the images stored for it. */
    Progress recover(Job claimed) {
        List<Attempt> lost = new ArrayList<>();
        for (int earlier = 1; earlier < claimed.attempts(); earlier++) {
            int number = earlier;
            if (claimed.attemptLog().stream().noneMatch(logged -> logged.number() == number)) {
                lost.add(log.lost(claimed, number));
            }
        }
        Job job = claimed.withCalls(lost);
        return new Progress(job, alreadyStored(job), lost);
    }

    /**
     * The job whose images are all stored, with its lost attempts, the last of which is now known to have generated
     * (and stored) the images no logged call made: only marking the job SUCCEEDED was lost.
     */
    Progress repaired(Progress earlier) {
        Job job = earlier.job();
        int made = Math.max(0, earlier.images().size() - job.attemptLog().stream().mapToInt(Attempt::images).sum());
        List<Attempt> calls = earlier.calls().stream()
                .map(lost -> lost.number() != job.attempts() - 1 ? lost : log.generated(lost, job.request(), made))
                .toList();
        return new Progress(job, earlier.images(), calls);
    }

    /**
     * Images are stored before the transition that logs their call, so the store is asked only when a logged call
     * made some, or when an attempt was lost (it may have stored some, or all, before dying).
     */
    private List<StoredImage> alreadyStored(Job job) {
        boolean mayHaveStored = job.attemptLog().stream()
                .anyMatch(attempt -> attempt.images() > 0 || attempt.errorType().equals(Optional.of(AttemptLog.WORKER_LOST)));
        return mayHaveStored ? images.stored(job) : List.of();
    }
}
