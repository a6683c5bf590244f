package dev.pacer.core.job;

import java.util.Objects;

/**
 * One reference image a job sends its model: an upload of the caller's or an image an earlier job of theirs made. The
 * job records where the bytes are in S3 and what intake found them to be, never the bytes themselves.
 *
 * @param source      what the submission named
 * @param id          the upload id, or the job id
 * @param index       the image's index in that job (0 for an upload)
 * @param key         the object's key in the images bucket
 * @param contentType what its first bytes say it is: image/png, image/jpeg or image/webp
 * @param bytes       its size
 */
public record InputImage(Source source, String id, int index, String key, String contentType, long bytes) {

    public enum Source { UPLOAD, JOB }

    public InputImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        if (index < 0 || bytes < 1) {
            throw new IllegalArgumentException("an input image needs an index of at least 0 and at least one byte");
        }
    }

    public static InputImage upload(String id, String key, String contentType, long bytes) {
        return new InputImage(Source.UPLOAD, id, 0, key, contentType, bytes);
    }

    public static InputImage ofJob(String jobId, int index, String key, String contentType, long bytes) {
        return new InputImage(Source.JOB, jobId, index, key, contentType, bytes);
    }

    /** The file name extension its type has, for providers that want a file name (OpenAI's multipart). */
    public String extension() {
        return switch (contentType) {
            case "image/jpeg" -> "jpg";
            case "image/webp" -> "webp";
            default -> "png";
        };
    }

    /** How it is named in a fingerprint and in messages: {@code upload:<id>} or {@code job:<id>#<index>}. */
    public String reference() {
        return source == Source.UPLOAD ? "upload:" + id : "job:" + id + "#" + index;
    }
}
