package dev.pacer.core.usecase;

import dev.pacer.core.job.StoredImage;
import dev.pacer.core.port.ImageStore;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An image store for the use cases' unit tests that keeps what it is given, so a later attempt can see it
 * (the S3 adapter runs the same {@link dev.pacer.core.port.ImageStoreContract} on moto). Refuses to overwrite:
 * pacer never stores an image twice under one key.
 */
final class InMemoryImages implements ImageStore {

    private static final String URL_BASE = "http://images.invalid/";

    private final Map<String, StoredImage> images = new TreeMap<>();
    private final Map<String, byte[]> bytes = new HashMap<>();
    private int puts;

    /** How many writes were made, repeated ones too. */
    synchronized int puts() {
        return puts;
    }

    @Override
    public synchronized void put(String key, byte[] bytes, String contentType) {
        // the same bytes again is what S3 does with a repeated write (the batch lane's recovery); other bytes are a bug
        if (images.putIfAbsent(key, new StoredImage(key, contentType, bytes.length)) != null && !Arrays.equals(this.bytes.get(key), bytes)) {
            throw new IllegalStateException("overwrites " + key);
        }
        puts++;
        this.bytes.put(key, bytes.clone());
    }

    @Override
    public synchronized List<StoredImage> stored(String prefix) {
        return images.values().stream().filter(image -> image.key().startsWith(prefix)).toList();
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        return URI.create(URL_BASE + key);
    }

    /** The image a URL from {@link #presignedGet} stands for, if it is stored. */
    synchronized Optional<StoredImage> servedAt(URI url) {
        String key = url.toString().startsWith(URL_BASE) ? url.toString().substring(URL_BASE.length()) : "";
        return Optional.ofNullable(images.get(key));
    }

    /** The bytes stored under {@code key}. */
    synchronized byte[] bytes(String key) {
        return bytes.get(key).clone();
    }
}
