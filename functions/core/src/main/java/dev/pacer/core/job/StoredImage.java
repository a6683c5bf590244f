package dev.pacer.core.job;

/** One generated image as kept in the image store. */
public record StoredImage(String key, String contentType, long bytes) {
}
