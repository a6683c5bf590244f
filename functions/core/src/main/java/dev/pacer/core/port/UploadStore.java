package dev.pacer.core.port;

import dev.pacer.core.upload.Upload;

import java.util.Optional;

/** The records of uploads: who asked for each, and what it was declared to be. */
public interface UploadStore {

    void create(Upload upload);

    /** The upload of that id, unless it has expired. */
    Optional<Upload> find(String id);
}
