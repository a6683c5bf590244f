package dev.pacer.core.upload;

import java.time.Instant;
import java.util.Objects;

/**
 * An image a caller is uploading (or has uploaded) to use as a job's input: who it belongs to, where in the bucket it
 * goes, what it was declared to be. The declaration is what the upload form allows; intake still reads the bytes.
 *
 * @param id            random, URL-safe; what a submission names
 * @param owner         the caller who asked for it; nobody else may use it
 * @param key           the object key the form is pinned to, under {@code uploads/}
 * @param contentType   what the caller declared, and the form pins
 * @param declaredBytes the most the form lets S3 take
 * @param createdAt     when it was asked for
 * @param expiresAt     when the record (and, by the bucket's lifecycle rule, the object) goes
 */
public record Upload(String id, String owner, String key, String contentType, long declaredBytes, Instant createdAt,
        Instant expiresAt) {

    public Upload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (declaredBytes < 1) {
            throw new IllegalArgumentException("an upload declares at least one byte");
        }
    }
}
