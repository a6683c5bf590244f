package dev.pacer.core.usecase;

import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** An image store for the use cases' unit tests: keeps nothing (the S3 adapter is tested against moto). */
final class DiscardedImages implements ImageStore {

    @Override
    public void put(String key, byte[] bytes, String contentType) {
    }

    @Override
    public List<StoredImage> stored(String prefix) {
        return List.of();
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        return URI.create("http://images.invalid/" + key);
    }
}
