package dev.pacer.core.job;

import java.util.Optional;

/**
 * What the first bytes of an image say: its type by magic number (PNG, JPEG, WebP, never by a file name) and, where
 * the header shows them, its width and height. Small on purpose: intake reads only the first bytes of an input.
 *
 * @param contentType image/png, image/jpeg or image/webp
 * @param size        width and height, when the bytes read reach them
 */
public record ImageHeader(String contentType, Optional<Size> size) {

    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String WEBP = "image/webp";

    /** Enough for every PNG and WebP header and for a JPEG's frame header behind usual EXIF blocks. */
    public static final int BYTES_TO_READ = 128 * 1024;

    public record Size(int width, int height) {
    }

    /** The header of {@code head}, or empty when it is none of PNG, JPEG, WebP. */
    public static Optional<ImageHeader> of(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) {
            return Optional.of(new ImageHeader(PNG, png(head)));
        }
        if (startsWith(head, 0, 0xff, 0xd8, 0xff)) {
            return Optional.of(new ImageHeader(JPEG, jpeg(head)));
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(new ImageHeader(WEBP, webp(head)));
        }
        return Optional.empty();
    }

    /** The IHDR chunk comes first: width and height are big-endian at bytes 16 and 20. */
    private static Optional<Size> png(byte[] b) {
        if (b.length < 24 || !startsWith(b, 12, 'I', 'H', 'D', 'R')) {
            return Optional.empty();
        }
        return Optional.of(new Size(int32(b, 16), int32(b, 20)));
    }

    /** Walks the segments to the first start-of-frame marker (SOF0-SOF15 but DHT, JPG and DAC), which holds the size. */
    private static Optional<Size> jpeg(byte[] b) {
        int at = 2;
        while (at + 4 <= b.length) {
            if ((b[at] & 0xff) != 0xff) {
                return Optional.empty();
            }
            int marker = b[at + 1] & 0xff;
            if (marker == 0xff) {
                at++; // fill byte
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                at += 2; // markers without a length
                continue;
            }
            int length = uint16(b, at + 2);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                if (at + 9 > b.length) {
                    return Optional.empty();
                }
                return Optional.of(new Size(uint16(b, at + 7), uint16(b, at + 5)));
            }
            if (marker == 0xda || length < 2) {
                return Optional.empty(); // the scan starts before any frame header: not a JPEG we can size
            }
            at += 2 + length;
        }
        return Optional.empty();
    }

    /** The first chunk after {@code WEBP}: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
    private static Optional<Size> webp(byte[] b) {
        if (b.length < 30) {
            return Optional.empty();
        }
        if (startsWith(b, 12, 'V', 'P', '8', ' ')) {
            // a key frame: 3 bytes frame tag, start code 9d 01 2a, then 14-bit width and height
            if (!startsWith(b, 23, 0x9d, 0x01, 0x2a)) {
                return Optional.empty();
            }
            return Optional.of(new Size(uint16le(b, 26) & 0x3fff, uint16le(b, 28) & 0x3fff));
        }
        if (startsWith(b, 12, 'V', 'P', '8', 'L')) {
            // signature 0x2f, then 14 bits width-1 and 14 bits height-1, little-endian
            if ((b[20] & 0xff) != 0x2f) {
                return Optional.empty();
            }
            long bits = (b[21] & 0xffL) | (b[22] & 0xffL) << 8 | (b[23] & 0xffL) << 16 | (b[24] & 0xffL) << 24;
            return Optional.of(new Size((int) (bits & 0x3fff) + 1, (int) ((bits >> 14) & 0x3fff) + 1));
        }
        if (startsWith(b, 12, 'V', 'P', '8', 'X')) {
            // flags (4 bytes), then 24-bit canvas width-1 and height-1, little-endian
            return Optional.of(new Size(uint24le(b, 24) + 1, uint24le(b, 27) + 1));
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int at, int... expected) {
        if (b.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[at + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int uint16le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int uint24le(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
    }
}
