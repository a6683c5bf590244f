package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which callback URLs a submission may name: absolute {@code https} URLs with a host and no user-info, at most
 * {@value #MAX_LENGTH} characters. Plain {@code http} only to a loopback host, and only where allowed (the local run
 * and tests, whose receivers have no certificate); the host is never resolved here.
 */
public record CallbackUrlPolicy(boolean allowHttpToLoopback) {

    public static final int MAX_LENGTH = 2048;
    private static final String FIELD = "callbackUrl";
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    public URI validate(String raw) {
        if (raw.isBlank()) {
            throw new InvalidRequestException(FIELD, "must be an absolute https URL, not blank");
        }
        if (raw.length() > MAX_LENGTH) {
            throw new InvalidRequestException(FIELD, "must be at most " + MAX_LENGTH + " characters");
        }
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(FIELD, "is not a valid URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InvalidRequestException(FIELD, "must be an absolute https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidRequestException(FIELD, "must not carry credentials (user-info) in the URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new InvalidRequestException(FIELD, "must name a host");
        }
        if (scheme.equals("http") && !(allowHttpToLoopback && isLoopback(url.getHost()))) {
            throw new InvalidRequestException(FIELD, "must use https" + (allowHttpToLoopback ? " (plain http only to a loopback host)" : ""));
        }
        return url;
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || IPV4_LOOPBACK.matcher(h).matches();
    }
}
