package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Which deadlines a submission may give: an RFC 3339 date-time with its offset ({@code 2026-12-01T18:00:00Z},
 * {@code 2026-12-01T19:00:00.5+01:00}), in the future and at most {@code horizon} ahead. A job waits for quota at most
 * until its deadline; the batch lane will also pick by it.
 */
public record DeadlinePolicy(Duration horizon) {

    /** As long as a job is kept by default (PACER_JOB_RETENTION_DAYS): a later deadline would outlive the job. */
    public static final Duration STANDARD_HORIZON = Duration.ofDays(30);

    private static final String FIELD = "deadline";
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive() // RFC 3339 allows a lower-case t and z
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    public DeadlinePolicy {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("the horizon must be positive");
        }
    }

    public static DeadlinePolicy standard() {
        return new DeadlinePolicy(STANDARD_HORIZON);
    }

    /** The deadline {@code raw} names, given at {@code now}; an {@link InvalidRequestException} naming the field if it is no good. */
    public Instant validate(String raw, Instant now) {
        Instant deadline;
        try {
            deadline = OffsetDateTime.parse(raw, RFC_3339).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(FIELD, "must be an RFC 3339 date-time with an offset, such as 2026-12-01T18:00:00Z");
        }
        if (!deadline.isAfter(now)) {
            throw new InvalidRequestException(FIELD, "must be in the future");
        }
        if (deadline.isAfter(now.plus(horizon))) {
            throw new InvalidRequestException(FIELD, "must be at most " + horizon.toDays() + " days ahead");
        }
        return deadline;
    }
}
