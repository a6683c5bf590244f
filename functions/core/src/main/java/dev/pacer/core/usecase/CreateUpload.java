package dev.pacer.core.usecase;

import dev.pacer.core.job.ImageHeader;
import dev.pacer.core.job.InvalidRequestException;
import dev.pacer.core.job.RequestFingerprint;
import dev.pacer.core.port.UploadForms;
import dev.pacer.core.port.UploadStore;
import dev.pacer.core.upload.PresignedPost;
import dev.pacer.core.upload.Upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * POST /v1/uploads: records an upload for its caller and signs a form for it. The form lets S3 take one object, at the
 * upload's key, of the declared type, of at most the declared size; the record says whose it is. Both expire: the
 * record by DynamoDB's TTL, the object by the bucket's lifecycle rule on {@code uploads/}.
 */
public final class CreateUpload {

    public static final String PREFIX = "uploads/";
    private static final List<String> TYPES = List.of(ImageHeader.PNG, ImageHeader.JPEG, ImageHeader.WEBP);

    /**
     * @param maxBytes     the largest upload, the largest input any model takes
     * @param formValidity how long the form may be used
     * @param retention    how long the upload may be named as an input
     */
    public record Settings(long maxBytes, Duration formValidity, Duration retention) {
    }

    public record Created(Upload upload, PresignedPost form) {
    }

    private final UploadStore uploads;
    private final UploadForms forms;
    private final Settings settings;
    private final Clock clock;

    public CreateUpload(UploadStore uploads, UploadForms forms, Settings settings, Clock clock) {
        this.uploads = uploads;
        this.forms = forms;
        this.settings = settings;
        this.clock = clock;
    }

    public Created create(String owner, String contentType, Long bytes) {
        if (contentType == null || !TYPES.contains(contentType)) {
            throw new InvalidRequestException("contentType", "must be one of " + String.join(", ", TYPES));
        }
        if (bytes == null || bytes < 1 || bytes > settings.maxBytes()) {
            throw new InvalidRequestException("bytes", "must be the file's size, 1 to " + settings.maxBytes());
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        Upload upload = new Upload(id, owner, keyOf(owner, id), contentType, bytes, now, now.plus(settings.retention()));
        uploads.create(upload);
        return new Created(upload, forms.sign(upload.key(), contentType, bytes, settings.formValidity()));
    }

    /** Each caller's uploads under a prefix of their own: the owner's hash, as an IAM ARN does not belong in a key. */
    static String keyOf(String owner, String id) {
        return PREFIX + RequestFingerprint.sha256(owner).substring(0, 32) + "/" + id;
    }
}
