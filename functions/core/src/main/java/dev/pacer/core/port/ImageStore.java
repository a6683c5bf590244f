package dev.pacer.core.port;

import dev.pacer.core.job.StoredImage;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Where generated images are kept, and how callers get to them without credentials. */
public interface ImageStore {

    void put(String key, byte[] bytes, String contentType);

    /** The images already stored under a key prefix, in key order. */
    List<StoredImage> stored(String prefix);

    /** A URL that serves the object with a plain GET until it expires. */
    URI presignedGet(String key, Duration validFor);
}
