package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.Lane;
import dev.pacer.core.job.LaneChoice;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which lane a submission runs on. {@code sync} (the default) and {@code batch} are taken as asked, batch only for a
 * model the batch lane serves. {@code auto} picks the cheaper batch lane when the deadline leaves the provider's
 * target turnaround ({@code batchTarget}, 24 h) plus {@code margin}, or when there is no deadline, and the sync lane
 * otherwise. The reason goes on the job for GET to show. An edit (a submission with reference images) is chosen for like
 * any job: its batch lines carry its inputs.
 *
 * @param batchTarget how long a provider takes to finish a batch at worst, as it promises (Gemini and OpenAI: 24 h)
 * @param margin      time kept besides it: for the collector to close the batch and the poller to see it finished
 */
public record LanePolicy(Duration batchTarget, Duration margin) {

    private static final String FIELD = "lane";

    public static LanePolicy standard() {
        return new LanePolicy(Duration.ofHours(24), Duration.ofHours(2));
    }

    /** What a batch needs before the deadline: the provider's target and the margin. */
    public Duration batchNeeds() {
        return batchTarget.plus(margin);
    }

    /** Whether a batch opened at {@code now} is expected to finish by {@code deadline} (no deadline: always). */
    public boolean batchMeets(Optional<Instant> deadline, Instant now) {
        return deadline.map(d -> !now.plus(batchNeeds()).isAfter(d)).orElse(true);
    }

    /**
     * Why a job whose deadline no longer allows a batch opened at {@code now} goes to the sync lane, as its
     * {@code laneReason} says it: {@code the deadline T leaves too little for a batch: 20 h left, less than the batch
     * lane's 26 h}.
     */
    public String tooLittleForABatch(Instant deadline, Instant now) {
        Duration left = Duration.between(now, deadline);
        return "the deadline " + deadline + " leaves too little for a batch: " + (left.isNegative() ? "it has passed" : hours(left) + " left")
                + ", less than the batch lane's " + hours(batchNeeds());
    }

    /** The lane for a submission asking for {@code asked} (empty: the default) of {@code model}, given its deadline. */
    public LaneChoice choose(Optional<String> asked, String model, Optional<Instant> deadline, BatchSupport support, Instant now) {
        if (asked.isEmpty()) {
            return LaneChoice.SYNC_BY_DEFAULT;
        }
        switch (asked.get()) {
            case "sync" -> {
                return new LaneChoice(Lane.SYNC, "asked for the sync lane");
            }
            case "batch" -> {
                if (!support.serves(model)) {
                    throw new InvalidRequestException(FIELD, model + " has no batch lane here (its provider or the accounts serving it have no "
                            + "Batch API); use \"sync\" or \"auto\"");
                }
                return new LaneChoice(Lane.BATCH, "asked for the batch lane");
            }
            case "auto" -> {
                return auto(model, deadline, support, now);
            }
            default -> throw new InvalidRequestException(FIELD, "must be \"sync\", \"batch\" or \"auto\"");
        }
    }

    private LaneChoice auto(String model, Optional<Instant> deadline, BatchSupport support, Instant now) {
        if (!support.serves(model)) {
            return new LaneChoice(Lane.SYNC, "auto: " + model + " has no batch lane here");
        }
        if (deadline.isEmpty()) {
            return new LaneChoice(Lane.BATCH, "auto: no deadline, so the cheaper batch lane");
        }
        Duration left = Duration.between(now, deadline.get());
        if (batchMeets(deadline, now)) {
            return new LaneChoice(Lane.BATCH, "auto: the deadline leaves " + hours(left) + ", at least the batch lane's " + hours(batchNeeds())
                    + " (the provider's " + hours(batchTarget) + " target and a " + hours(margin) + " margin)");
        }
        return new LaneChoice(Lane.SYNC, "auto: the deadline leaves " + hours(left) + ", less than the batch lane's " + hours(batchNeeds()));
    }

    private static String hours(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " min";
    }
}
