package dev.pacer.core.job;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;

/** A hash of what a request asks for after defaults, so a retried submission matches however its JSON was laid out. */
public final class RequestFingerprint {

    /** A request without a callback hashes as it always did, so keys issued before callbacks existed still match. */
    public static String of(GenerationRequest request, Optional<URI> callbackUrl) {
        return of(request, callbackUrl, Optional.empty());
    }

    /**
     * The deadline counts as the instant it names, however it was written ({@code Z} or {@code +01:00}). A request
     * without one hashes as it did before deadlines existed.
     */
    public static String of(GenerationRequest request, Optional<URI> callbackUrl, Optional<Instant> deadline) {
        String canonical = String.join("\u0000", request.prompt(), request.model(), request.resolution().label(),
                request.aspectRatio(), Integer.toString(request.count()), new TreeMap<>(request.metadata()).toString());
        // A request without inputs hashes as it did before edits existed.
        String withInputs = request.isEdit() ? canonical + "\u0000inputs=" + request.inputs().stream().map(InputImage::reference).toList()
                + request.mask().map(mask -> "\u0000mask=" + mask.reference()).orElse("") : canonical;
        String withCallback = callbackUrl.map(url -> withInputs + "\u0000" + url).orElse(withInputs);
        return sha256(deadline.map(at -> withCallback + "\u0000deadline=" + at).orElse(withCallback));
    }

    /**
     * The lane asked for counts as asked ({@code auto} is not what it picked, which depends on the time); a request
     * that names none hashes as it did before lanes existed.
     */
    public static String of(GenerationRequest request, Optional<URI> callbackUrl, Optional<Instant> deadline, Optional<String> lane) {
        String withoutLane = of(request, callbackUrl, deadline);
        return lane.map(asked -> sha256(withoutLane + "\u0000lane=" + asked)).orElse(withoutLane);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RequestFingerprint() {
    }
}
