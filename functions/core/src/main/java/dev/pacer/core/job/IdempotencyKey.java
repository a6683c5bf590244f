package dev.pacer.core.job;

import java.util.Objects;
import java.util.regex.Pattern;

/** The caller's Idempotency-Key header: the same key and body within a day name the same job. */
public record IdempotencyKey(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.:\\-]{1,255}");

    public IdempotencyKey {
        Objects.requireNonNull(value, "value");
        if (!ALLOWED.matcher(value).matches()) {
            throw new InvalidRequestException("Idempotency-Key",
                    "must be 1 to 255 characters of letters, digits and _ . : - (a UUID is a good key)");
        }
    }
}
