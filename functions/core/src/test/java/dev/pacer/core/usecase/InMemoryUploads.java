package dev.pacer.core.usecase;

import dev.pacer.core.port.UploadStore;
import dev.pacer.core.upload.Upload;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Upload records for unit tests. */
public final class InMemoryUploads implements UploadStore {

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    @Override
    public void create(Upload upload) {
        if (uploads.putIfAbsent(upload.id(), upload) != null) {
            throw new IllegalStateException("upload " + upload.id() + " exists");
        }
    }

    @Override
    public Optional<Upload> find(String id) {
        return Optional.ofNullable(uploads.get(id));
    }

    public int size() {
        return uploads.size();
    }
}
