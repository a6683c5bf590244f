package dev.pacer.core.usecase;

import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An image store for the use cases' unit tests that keeps what it is given, so a later attempt can see it
 * (the S3 adapter is tested against moto). Refuses to overwrite: pacer never stores an image twice under one key.
 */
final class InMemoryImages implements ImageStore {

    private final Map<String, StoredImage> images = new TreeMap<>();

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        if (images.putIfAbsent(key, new StoredImage(key, contentType, bytes.length)) != null) {
            throw new IllegalStateException("overwrites " + key);
        }
    }

    @Override
    public List<StoredImage> stored(String prefix) {
        return images.values().stream().filter(image -> image.key().startsWith(prefix)).toList();
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        return URI.create("http://images.invalid/" + key);
    }
}
