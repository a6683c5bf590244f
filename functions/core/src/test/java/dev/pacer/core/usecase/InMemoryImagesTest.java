package dev.pacer.core.usecase;

import dev.pacer.core.port.ImageStore;
import dev.pacer.core.port.ImageStoreContract;

import java.net.URI;

class InMemoryImagesTest extends ImageStoreContract {

    private final InMemoryImages images = new InMemoryImages();

    @Override
    protected ImageStore newStore() {
        return images;
    }

    @Override
    protected Download download(URI url) {
        return images.servedAt(url)
                .map(image -> new Download(200, images.bytes(image.key()), image.contentType()))
                .orElse(new Download(404, new byte[0], ""));
    }
}
