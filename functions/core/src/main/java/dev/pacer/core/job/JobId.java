package dev.pacer.core.job;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A job's id: a random UUID in its canonical lower-case form, nothing else (ids end up in S3 keys). */
public record JobId(String value) {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public JobId {
        Objects.requireNonNull(value, "value");
        if (!CANONICAL_UUID.matcher(value).matches()) {
            throw new InvalidRequestException("id", "must be a job id as returned by POST /v1/generations (a lower-case UUID)");
        }
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
