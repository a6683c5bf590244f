package dev.pacer.core.job;

import java.util.Objects;

/** The lane a job runs on and why it was chosen, as GET shows it ({@code lane}, {@code laneReason}). */
public record LaneChoice(Lane lane, String reason) {

    /** What every job was before the batch lane existed, and what a submission without {@code lane} gets. */
    public static final LaneChoice SYNC_BY_DEFAULT = new LaneChoice(Lane.SYNC, "the default lane");

    public LaneChoice {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(reason, "reason");
    }
}
