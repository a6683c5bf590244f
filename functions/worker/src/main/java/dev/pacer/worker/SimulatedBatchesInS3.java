package dev.pacer.worker;

import dev.pacer.providers.simulated.SimulatedBatches;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.util.Optional;

/**
 * The simulated provider's batches in the images bucket, under {@code simulated-batches/}: the collector writes a batch
 * there when it opens one, and the poller, another function, reads it back.
 */
final class SimulatedBatchesInS3 implements SimulatedBatches {

    private static final String PREFIX = "simulated-batches/";

    private final S3Client s3;
    private final String bucket;

    SimulatedBatchesInS3(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void put(String displayName, byte[] document) {
        s3.putObject(put -> put.bucket(bucket).key(key(displayName)).contentType("application/json"), RequestBody.fromBytes(document));
    }

    @Override
    public Optional<byte[]> get(String displayName) {
        try {
            return Optional.of(s3.getObjectAsBytes(get -> get.bucket(bucket).key(key(displayName))).asByteArray());
        } catch (NoSuchKeyException none) {
            return Optional.empty();
        }
    }

    private static String key(String displayName) {
        return PREFIX + displayName + ".json";
    }
}
