package dev.pacer.aws.s3;

import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** Images in a private S3 bucket; callers download them through presigned GET URLs. */
public final class S3ImageStore implements ImageStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3ImageStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** Streamed from the caller's array: {@code RequestBody.fromBytes} would copy it, one more 4K image on the heap. */
    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes), bytes.length, contentType));
    }

    @Override
    public List<StoredImage> stored(String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(object -> new StoredImage(object.key(), contentTypeOf(object.key()), object.size()))
                .sorted(Comparator.comparing(StoredImage::key))
                .toList();
    }

    /** The media type the key's extension stands for: pacer names images by what the provider returned. */
    static String contentTypeOf(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return lower.endsWith(".webp") ? "image/webp" : "image/png";
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        try {
            return presigner.presignGetObject(presign -> presign
                    .signatureDuration(validFor)
                    .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("presigned URL is not a URI", e);
        }
    }
}
