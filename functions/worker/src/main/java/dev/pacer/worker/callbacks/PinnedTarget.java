package dev.pacer.worker.callbacks;

import dev.pacer.core.usecase.CallbackAddresses;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A callback URL with its host resolved once and every address checked: the request goes to {@code uri}, which names
 * the checked address itself, so nothing resolves the host a second time (DNS rebinding gets no second answer in).
 * What the request is about stays the name: {@code hostHeader} for the Host header, and {@code serverName} for TLS's
 * SNI, against which the JDK checks the certificate.
 *
 * @param uri        the URL with the host replaced by the address, port explicit
 * @param hostHeader the URL's host and port, as a client would send them
 * @param serverName the host name for SNI and the certificate check; empty when the URL names an address
 */
record PinnedTarget(URI uri, String hostHeader, Optional<String> serverName) {

    /** Looks up every address of a host name (an IP literal answers itself). */
    @FunctionalInterface
    interface Resolver {
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * The URL's host resolves to an address a callback may not go to: nothing was sent. The message is what the job
     * shows, a fixed text by kind: the address itself, perhaps from a private DNS zone, is only logged ({@link #detail}).
     */
    static final class RefusedAddressException extends Exception {
        private final String detail;

        RefusedAddressException(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        /** Which host resolved to which address. */
        String detail() {
            return detail;
        }
    }

    /**
     * Resolves {@code url}'s host once and checks each address against {@code rule}; the target is the first IPv4
     * address (the first address, when there is none).
     */
    static PinnedTarget resolve(URI url, Resolver resolver, CallbackAddresses rule) throws UnknownHostException, RefusedAddressException {
        String host = url.getHost();
        if (host == null) {
            throw new UnknownHostException("the callback URL names no host: " + url);
        }
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = rule.refusal(address);
            if (refused.isPresent()) {
                throw new RefusedAddressException("refused: the callback host resolves to " + refused.get()
                        + "; callbacks go to public addresses only", host + " resolves to " + address.getHostAddress());
            }
        }
        InetAddress chosen = Arrays.stream(addresses).filter(a -> a instanceof Inet4Address).findFirst().orElse(addresses[0]);
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (!https && !CallbackAddresses.isLoopback(chosen.getAddress())) {
            throw new RefusedAddressException("refused: plain http goes to loopback only", host + " is " + chosen.getHostAddress());
        }
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String literal = chosen instanceof Inet4Address ? chosen.getHostAddress() : "[" + chosen.getHostAddress() + "]";
        URI pinned = URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + literal + ":" + port
                + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        String hostHeader = host + (url.getPort() == -1 ? "" : ":" + url.getPort());
        return new PinnedTarget(pinned, hostHeader, isAddress(host) ? Optional.empty() : Optional.of(withoutTrailingDot(host)));
    }

    /** An IPv6 literal, or a name whose last label is a number: no top-level domain is. */
    private static boolean isAddress(String host) {
        String[] labels = withoutTrailingDot(host).split("\\.");
        return host.startsWith("[") || labels[labels.length - 1].matches("[0-9]+|0[xX][0-9a-fA-F]*");
    }

    private static String withoutTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
