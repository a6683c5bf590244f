package dev.pacer.core.job;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The first bytes of real image formats, as small as their headers allow, for tests that check types and sizes. */
public final class TestImages {

    private TestImages() {
    }

    /** A PNG signature and IHDR chunk of {@code width} x {@code height}, padded to {@code total} bytes. */
    public static byte[] png(int width, int height, int total) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(total, 33));
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
        b.put(new byte[] {8, 6, 0, 0, 0});
        return b.array();
    }

    /** A JPEG with a JFIF APP0 segment, then a SOF0 frame header of {@code width} x {@code height}. */
    public static byte[] jpeg(int width, int height, int total) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(total, 40));
        b.put(new byte[] {(byte) 0xff, (byte) 0xd8});
        b.put(new byte[] {(byte) 0xff, (byte) 0xe0}).putShort((short) 16).put(new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
        b.put(new byte[] {(byte) 0xff, (byte) 0xc0}).putShort((short) 17).put((byte) 8).putShort((short) height).putShort((short) width);
        b.put((byte) 3);
        return b.array();
    }

    /** A WebP (VP8X, extended) of {@code width} x {@code height}. */
    public static byte[] webp(int width, int height, int total) {
        byte[] b = Arrays.copyOf(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                0, 0, 0, 0}, Math.max(total, 30));
        int w = width - 1;
        int h = height - 1;
        b[24] = (byte) w;
        b[25] = (byte) (w >> 8);
        b[26] = (byte) (w >> 16);
        b[27] = (byte) h;
        b[28] = (byte) (h >> 8);
        b[29] = (byte) (h >> 16);
        return b;
    }
}
