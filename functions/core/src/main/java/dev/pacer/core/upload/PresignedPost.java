package dev.pacer.core.upload;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A browser-style upload form S3 accepts without credentials: POST multipart/form-data to {@code url} with every
 * field, in order, then the file as the last part, named {@code file}. Its signed policy pins the key, the content
 * type and the size range, so S3 itself refuses anything else.
 */
public record PresignedPost(URI url, Map<String, String> fields, Instant expiresAt) {

    public PresignedPost {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(expiresAt, "expiresAt");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
