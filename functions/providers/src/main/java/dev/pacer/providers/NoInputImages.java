package dev.pacer.providers;

import dev.pacer.core.port.InputImages;

import java.io.InputStream;
import java.util.Optional;

/** For a provider built for prompts only: reading a reference image is an error (intake lets no edit through to it). */
public enum NoInputImages implements InputImages {
    INSTANCE;

    @Override
    public Optional<Head> head(String key, int bytes) {
        return Optional.empty();
    }

    @Override
    public InputStream open(String key) {
        throw new IllegalStateException("this provider was built without a reader of input images; cannot read " + key);
    }
}
