package dev.pacer.core.port;

import java.io.InputStream;
import java.util.Optional;

/**
 * Where reference images are read: intake reads the first bytes of each (its type and size), the worker streams them
 * into the provider's request.
 */
public interface InputImages {

    /** The first bytes of an object and its full size. */
    record Head(byte[] firstBytes, long size) {
    }

    /** Up to {@code bytes} first bytes of the object at {@code key}, or empty when there is none. */
    Optional<Head> head(String key, int bytes);

    /** The whole object, to read once and close; it must exist (intake checked it). */
    InputStream open(String key);
}
