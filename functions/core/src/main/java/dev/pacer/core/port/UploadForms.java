package dev.pacer.core.port;

import dev.pacer.core.upload.PresignedPost;

import java.time.Duration;

/** Signs upload forms (S3 presigned POSTs) with the credentials the function runs under. */
public interface UploadForms {

    /** A form for exactly {@code key}, of {@code contentType}, of 1 to {@code maxBytes} bytes, valid for {@code validFor}. */
    PresignedPost sign(String key, String contentType, long maxBytes, Duration validFor);
}
