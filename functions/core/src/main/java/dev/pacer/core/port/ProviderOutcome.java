package dev.pacer.core.port;

import java.util.List;
import java.util.Objects;

/** What one provider call came to. */
public sealed interface ProviderOutcome {

    /** Images came back. */
    record Generated(List<GeneratedImage> images) implements ProviderOutcome {
        public Generated {
            images = List.copyOf(images);
            if (images.isEmpty()) {
                throw new IllegalArgumentException("Generated needs at least one image");
            }
        }
    }

    /** The provider will never accept this request as sent (bad input, safety block, no access). */
    record Refused(String type, String message) implements ProviderOutcome {
        public Refused {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    /** A passing failure (overload, 5xx, connection refused): the same request may work later. */
    record RetryLater(String type, String message) implements ProviderOutcome {
        public RetryLater {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Image bytes and the media type the provider declared. */
    record GeneratedImage(byte[] bytes, String contentType) {
        public GeneratedImage {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }

        public String fileExtension() {
            return switch (contentType) {
                case "image/jpeg" -> "jpg";
                case "image/webp" -> "webp";
                default -> "png";
            };
        }
    }
}
