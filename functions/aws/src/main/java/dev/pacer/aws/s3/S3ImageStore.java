package dev.pacer.aws.s3;

import dev.pacer.core.port.ImageStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

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

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
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
