package dev.pacer.core.port;

import dev.pacer.core.job.Resolution;

import java.time.Duration;
import java.util.List;

/**
 * How long recent successful jobs of a model and resolution kept a worker busy (claim to SUCCEEDED), newest
 * first. Read only when someone plans capacity, never on a worker's path.
 */
public interface RecentLatencies {

    List<Duration> recentSuccesses(String model, Resolution resolution, int limit);
}
