package dev.pacer.aws.s3;

import dev.pacer.core.port.InputImages;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reference images in the images bucket: intake reads the first bytes with a ranged GET (its {@code Content-Range}
 * gives the whole size), the worker streams the object into the provider's request, never holding it whole.
 */
public final class S3InputImages implements InputImages {

    private final S3Client s3;
    private final String bucket;

    public S3InputImages(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<Head> head(String key, int bytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(get -> get.bucket(bucket).key(key).range("bytes=0-" + (bytes - 1)))) {
            byte[] first = in.readNBytes(bytes);
            return Optional.of(new Head(first, totalSize(in.response(), first.length)));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            // 416: an empty object has no byte 0; no upload form lets one in, but it is no image either
            if (e.statusCode() == 416) {
                return Optional.of(new Head(new byte[0], 0));
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the first bytes of " + key, e);
        }
    }

    /** {@code Content-Range: bytes 0-1023/300000}; an object smaller than the range may come back whole, without one. */
    static long totalSize(GetObjectResponse response, long read) {
        String range = response.contentRange();
        if (range != null && range.contains("/") && !range.endsWith("/*")) {
            return Long.parseLong(range.substring(range.lastIndexOf('/') + 1).strip());
        }
        return response.contentLength() != null ? response.contentLength() : read;
    }

    @Override
    public InputStream open(String key) {
        return s3.getObject(get -> get.bucket(bucket).key(key));
    }
}
