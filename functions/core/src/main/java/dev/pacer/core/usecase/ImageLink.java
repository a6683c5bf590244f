package dev.pacer.core.usecase;

import dev.pacer.core.job.StoredImage;

import java.net.URI;

/** A stored image with a URL the caller can download it from for a while. */
public record ImageLink(StoredImage image, URI url) {
}
