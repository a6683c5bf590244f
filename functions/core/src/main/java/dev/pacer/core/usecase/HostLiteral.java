package dev.pacer.core.usecase;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The address a URL's host spells, when it spells one. Resolvers and browsers read IPv4 in more spellings than the
 * dotted quad: one number ({@code 2130706433}), octal parts ({@code 0177.0.0.1}), hex parts ({@code 0x7f.0.0.1}), fewer
 * parts ({@code 127.1}) and a mix of these, with or without a trailing dot. A host whose last label is a number is
 * read here the way they read it (inet_aton, as the WHATWG URL standard does), so no spelling slips past the address
 * check. Java's own parser disagrees on some of them ({@code 0177.0.0.1} is 177.0.0.1 to it), so a spelling other than
 * the plain dotted quad is ambiguous and {@link #canonical()} says so.
 *
 * @param address   the 4 or 16 bytes
 * @param canonical written as four decimal numbers without leading zeros, or as an IPv6 literal
 */
record HostLiteral(byte[] address, boolean canonical) {

    /** The host names that name loopback by definition (RFC 6761): {@code localhost} and anything under it. */
    static boolean isLoopbackName(String host) {
        String name = withoutTrailingDot(host.toLowerCase(Locale.ROOT));
        return name.equals("localhost") || name.endsWith(".localhost");
    }

    /**
     * The address {@code host} (as a URL has it: IPv6 in brackets) spells; empty for a host name.
     *
     * @throws IllegalArgumentException when the host ends in a number but is no IPv4 address in any spelling
     */
    static Optional<HostLiteral> of(String host) {
        if (host.startsWith("[")) {
            return Optional.of(new HostLiteral(ipv6(host), true));
        }
        String name = host.toLowerCase(Locale.ROOT);
        String[] parts = withoutTrailingDot(name).split("\\.", -1);
        if (!isNumber(parts[parts.length - 1])) {
            return Optional.empty();
        }
        if (parts.length > 4) {
            throw new IllegalArgumentException("has more than four parts ending in a number, so it is no IPv4 address");
        }
        long[] values = new long[parts.length];
        boolean canonical = parts.length == 4 && !name.endsWith(".");
        for (int i = 0; i < parts.length; i++) {
            if (!isNumber(parts[i])) {
                throw new IllegalArgumentException("ends in a number but '" + parts[i] + "' is not one, so it is no IPv4 address");
            }
            values[i] = number(parts[i]);
            canonical &= parts[i].matches("0|[1-9][0-9]{0,2}");
        }
        return Optional.of(new HostLiteral(ipv4(values), canonical));
    }

    /** The dotted quad, or the IPv6 text, of the address. */
    String text() {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ipv6(String bracketed) {
        if (bracketed.contains("%")) {
            throw new IllegalArgumentException("carries an IPv6 zone id, which only link-local addresses have");
        }
        try {
            // with brackets getByName parses the literal and never looks anything up
            return InetAddress.getByName(bracketed).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not a valid IPv6 address");
        }
    }

    /** The last part fills the bytes the others leave: {@code 127.1} is 127.0.0.1. */
    private static byte[] ipv4(long[] values) {
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                throw new IllegalArgumentException("has a part above 255, so it is no IPv4 address");
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            throw new IllegalArgumentException("has a last part too large for an IPv4 address");
        }
        address |= last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /** Decimal, octal with a leading 0, or hex with 0x: each a number to an IPv4 parser. */
    private static boolean isNumber(String part) {
        return part.matches("0x[0-9a-f]*|[0-9]+");
    }

    private static long number(String part) {
        BigInteger value;
        if (part.startsWith("0x")) {
            value = part.length() == 2 ? BigInteger.ZERO : new BigInteger(part.substring(2), 16);
        } else if (part.length() > 1 && part.startsWith("0")) {
            if (!part.matches("[0-7]+")) {
                throw new IllegalArgumentException("has '" + part + "', which is neither octal nor decimal, so it is no IPv4 address");
            }
            value = new BigInteger(part.substring(1), 8);
        } else {
            value = new BigInteger(part);
        }
        // anything this large is refused by ipv4(); the cap keeps the long from overflowing
        return value.min(BigInteger.valueOf(1L << 40)).longValueExact();
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
