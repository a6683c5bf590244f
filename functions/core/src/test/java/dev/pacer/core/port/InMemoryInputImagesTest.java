package dev.pacer.core.port;

class InMemoryInputImagesTest extends InputImagesContract {

    private final InMemoryInputImages images = new InMemoryInputImages();

    @Override
    protected InputImages newImages() {
        return images;
    }

    @Override
    protected void store(String key, byte[] bytes) {
        images.put(key, bytes);
    }
}
