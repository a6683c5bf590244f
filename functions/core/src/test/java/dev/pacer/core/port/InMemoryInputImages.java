package dev.pacer.core.port;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Reference images for unit tests: bytes by key (the S3 adapter passes the same {@link InputImagesContract} on moto). */
public final class InMemoryInputImages implements InputImages {

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Integer> opened = new ConcurrentHashMap<>();

    public InMemoryInputImages put(String key, byte[] bytes) {
        objects.put(key, bytes.clone());
        return this;
    }

    @Override
    public Optional<Head> head(String key, int bytes) {
        return Optional.ofNullable(objects.get(key)).map(all -> new Head(Arrays.copyOf(all, Math.min(bytes, all.length)), all.length));
    }

    @Override
    public InputStream open(String key) {
        byte[] all = objects.get(key);
        if (all == null) {
            throw new IllegalStateException("no object " + key);
        }
        opened.merge(key, 1, Integer::sum);
        return new ByteArrayInputStream(all);
    }

    /** How many times {@code key} was opened. */
    public int timesOpened(String key) {
        return opened.getOrDefault(key, 0);
    }
}
