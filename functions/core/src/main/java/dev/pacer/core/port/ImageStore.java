package dev.pacer.core.port;

import java.net.URI;
import java.time.Duration;

/** Where generated images are kept, and how callers get to them without credentials. */
public interface ImageStore {

    void put(String key, byte[] bytes, String contentType);

    /** A URL that serves the object with a plain GET until it expires. */
    URI presignedGet(String key, Duration validFor);
}
