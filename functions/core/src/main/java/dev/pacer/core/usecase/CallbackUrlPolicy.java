package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs a submission may name: absolute {@code https} URLs with a host and no user-info, at most
 * {@value #MAX_LENGTH} characters, whose host is no address a callback may not go to ({@link CallbackAddresses}), in
 * whatever spelling. Loopback (and plain {@code http}, only to loopback) only where allowed: the local run and tests,
 * whose receivers listen there without a certificate. A host name is never resolved here: names can change what they
 * point to, so the callback deliverer checks the addresses it resolves again before it connects.
 */
public record CallbackUrlPolicy(boolean allowHttpToLoopback) {

    public static final int MAX_LENGTH = 2048;
    private static final String FIELD = "callbackUrl";

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
        String host = host(url);
        if (host.isEmpty()) {
            throw new InvalidRequestException(FIELD, "must name a host");
        }
        boolean loopback = checkAddress(host);
        if (url.getHost() == null) {
            throw new InvalidRequestException(FIELD, "must name a host");
        }
        if (scheme.equals("http") && !(allowHttpToLoopback && loopback)) {
            throw new InvalidRequestException(FIELD, "must use https" + (allowHttpToLoopback ? " (plain http only to a loopback host)" : ""));
        }
        return url;
    }

    /**
     * Refuses a host that spells an address a callback may not go to, or spells one ambiguously; whether it is a
     * loopback host (where that is allowed).
     */
    private boolean checkAddress(String host) {
        if (HostLiteral.isLoopbackName(host)) {
            refuseUnlessAllowed("a loopback host", host);
            return true;
        }
        Optional<HostLiteral> literal;
        try {
            literal = HostLiteral.of(host);
        } catch (IllegalArgumentException notAnAddress) {
            throw new InvalidRequestException(FIELD, "the host " + host + " " + notAnAddress.getMessage());
        }
        if (literal.isEmpty()) {
            return false;
        }
        new CallbackAddresses(allowHttpToLoopback).refusal(literal.get().address()).ifPresent(kind -> {
            throw new InvalidRequestException(FIELD, "must not point to " + kind + " (" + spelled(host, literal.get()) + ")");
        });
        if (!literal.get().canonical()) {
            throw new InvalidRequestException(FIELD, "the host " + host + " writes the IPv4 address " + literal.get().text()
                    + " in a form resolvers read differently; write it as four decimal numbers");
        }
        return CallbackAddresses.isLoopback(literal.get().address());
    }

    private void refuseUnlessAllowed(String kind, String host) {
        if (!allowHttpToLoopback) {
            throw new InvalidRequestException(FIELD, "must not point to " + kind + " (" + host + ")");
        }
    }

    private static String spelled(String host, HostLiteral literal) {
        String text = literal.text();
        return host.equalsIgnoreCase(text) || host.equalsIgnoreCase("[" + text + "]") ? host : host + " is " + text;
    }

    /**
     * The host as the URL writes it. Java leaves {@link URI#getHost()} empty for a host it cannot read as a name or a
     * dotted quad ({@code 0x7f.0.0.1}, {@code 127.1}); the authority then still says what a resolver would be given.
     */
    private static String host(URI url) {
        if (url.getHost() != null) {
            return url.getHost();
        }
        String authority = url.getRawAuthority() == null ? "" : url.getRawAuthority();
        return authority.replaceFirst(":[0-9]*$", "");
    }
}
