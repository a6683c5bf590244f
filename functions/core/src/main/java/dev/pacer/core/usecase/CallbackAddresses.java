package dev.pacer.core.usecase;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a callback may be sent to: public unicast ones. Refused are loopback, private, shared (carrier-grade
 * NAT), link-local (the cloud metadata service at 169.254.169.254 is one), unspecified, multicast and reserved
 * addresses, in IPv4 and IPv6, and an IPv6 address that carries such an IPv4 one (mapped, compatible, NAT64, 6to4).
 * Where {@code allowLoopback} says so (the local run and tests, whose receivers listen on loopback) loopback is allowed;
 * nothing else is. The intake applies this to an address written in the URL, the callback deliverer to every address
 * the host resolves to.
 */
public record CallbackAddresses(boolean allowLoopback) {

    private record Block(byte[] prefix, int bits, String kind) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final String LOOPBACK = "a loopback address";
    /** {@code ::} and {@code ::1}: IPv6 addresses of their own, not IPv4-compatible ones. */
    private static final Block UNSPECIFIED_OR_LOOPBACK_V6 = block("::", 127, "");
    private static final Block NAT64 = block("64:ff9b::", 96, "");

    private static final List<Block> REFUSED = List.of(
            block("0.0.0.0", 8, "an unspecified address"),
            block("10.0.0.0", 8, "a private address"),
            block("100.64.0.0", 10, "a shared (carrier-grade NAT) address"),
            block("127.0.0.0", 8, LOOPBACK),
            block("169.254.0.0", 16, "a link-local address"),
            block("172.16.0.0", 12, "a private address"),
            block("192.0.0.0", 24, "a reserved address"),
            block("192.168.0.0", 16, "a private address"),
            block("198.18.0.0", 15, "a reserved (benchmarking) address"),
            block("224.0.0.0", 4, "a multicast address"),
            block("240.0.0.0", 4, "a reserved address"),
            block("::", 128, "an unspecified address"),
            block("::1", 128, LOOPBACK),
            block("64:ff9b:1::", 48, "a private (local NAT64) address"),
            block("100::", 64, "a reserved (discard) address"),
            block("2001::", 32, "a Teredo tunnel address"),
            block("fc00::", 7, "a private (unique local) address"),
            block("fe80::", 10, "a link-local address"),
            block("fec0::", 10, "a private (site-local) address"),
            block("ff00::", 8, "a multicast address"));

    /** Why a callback may not go to {@code address}, e.g. "a private address"; empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        return refusal(address.getAddress());
    }

    /** {@link #refusal(InetAddress)} for the 4 or 16 bytes of an address. */
    public Optional<String> refusal(byte[] address) {
        Optional<String> kind = kind(address);
        return kind.filter(k -> !(allowLoopback && k.equals(LOOPBACK)));
    }

    /** Whether {@code address} is loopback, also when written as IPv6 around an IPv4 loopback address. */
    public static boolean isLoopback(byte[] address) {
        return kind(address).filter(LOOPBACK::equals).isPresent();
    }

    /** What sort of address {@code address} is, when a callback may not go there; empty for a public unicast one. */
    private static Optional<String> kind(byte[] address) {
        Optional<byte[]> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return kind(embedded.get());
        }
        return REFUSED.stream().filter(block -> block.contains(address)).map(Block::kind).findFirst();
    }

    /**
     * The IPv4 address an IPv6 one stands for: mapped ({@code ::ffff:a.b.c.d}), compatible ({@code ::a.b.c.d}, but
     * not {@code ::} or {@code ::1}), NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4 ({@code 2002:aabb:ccdd::}).
     */
    private static Optional<byte[]> embeddedIpv4(byte[] address) {
        if (address.length != 16) {
            return Optional.empty();
        }
        byte[] head = Arrays.copyOf(address, 12);
        byte[] last4 = Arrays.copyOfRange(address, 12, 16);
        boolean zeros10 = Arrays.equals(Arrays.copyOf(address, 10), new byte[10]);
        if (zeros10 && (address[10] & 0xff) == 0xff && (address[11] & 0xff) == 0xff) {
            return Optional.of(last4);
        }
        if (Arrays.equals(head, new byte[12]) && !UNSPECIFIED_OR_LOOPBACK_V6.contains(address)) {
            return Optional.of(last4);
        }
        if (NAT64.contains(address)) {
            return Optional.of(last4);
        }
        if ((address[0] & 0xff) == 0x20 && (address[1] & 0xff) == 0x02) {
            return Optional.of(Arrays.copyOfRange(address, 2, 6));
        }
        return Optional.empty();
    }

    private static Block block(String literal, int bits, String kind) {
        try {
            // literals only: getByName parses them without a lookup
            return new Block(InetAddress.getByName(literal).getAddress(), bits, kind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
