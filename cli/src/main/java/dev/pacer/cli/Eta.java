package dev.pacer.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Time left for a batch. Once images finish while we watch, the observed rate says it best (it already holds
 * the quota, the workers and the provider's real latency). Before that, the server's capacity answer per
 * model and resolution: a job group's throughput is the smaller of its quota ceiling and what the workers can
 * do (concurrency × 60 s / latency, times the images per request).
 */
final class Eta {

    /** What /v1/capacity said for one model and resolution, and what of the batch is left there. */
    record Group(int remainingJobs, int remainingImages, Optional<Double> ceilingImagesPerMinute,
            Optional<Double> latencySeconds, Optional<Integer> concurrency) {

        Optional<Double> imagesPerMinute() {
            Optional<Double> byWorkers = latencySeconds.filter(latency -> latency > 0).flatMap(latency -> concurrency
                    .map(workers -> workers * 60.0 / latency * Math.max(1.0, (double) remainingImages / Math.max(1, remainingJobs))));
            if (ceilingImagesPerMinute.isPresent() && byWorkers.isPresent()) {
                return Optional.of(Math.min(ceilingImagesPerMinute.get(), byWorkers.get()));
            }
            return ceilingImagesPerMinute.or(() -> byWorkers).filter(rate -> rate > 0);
        }
    }

    private Eta() {
    }

    static Optional<Duration> observed(int remainingImages, int imagesFinishedWhileWatching, Duration watched) {
        if (remainingImages == 0) {
            return Optional.of(Duration.ZERO);
        }
        if (imagesFinishedWhileWatching <= 0 || watched.isZero() || watched.isNegative()) {
            return Optional.empty();
        }
        double perSecond = imagesFinishedWhileWatching / (watched.toMillis() / 1000.0);
        return Optional.of(Duration.ofSeconds((long) Math.ceil(remainingImages / perSecond)));
    }

    /** The groups one after another: they may share accounts and workers, so this errs long. */
    static Optional<Duration> fromCapacity(List<Group> groups) {
        double minutes = 0;
        for (Group group : groups) {
            if (group.remainingImages() == 0) {
                continue;
            }
            Optional<Double> rate = group.imagesPerMinute();
            if (rate.isEmpty()) {
                return Optional.empty();
            }
            minutes += group.remainingImages() / rate.get();
        }
        return Optional.of(Duration.ofSeconds((long) Math.ceil(minutes * 60)));
    }
}
