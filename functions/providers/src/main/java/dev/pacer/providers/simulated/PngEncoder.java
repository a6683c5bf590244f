package dev.pacer.providers.simulated;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Writes 8-bit RGB images as PNG: signature, IHDR, one zlib IDAT, IEND. No AWT, so nothing to initialise. */
final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A picture, one RGB triple per pixel, row by row. */
    interface Picture {
        int width();

        int height();

        /** 0xRRGGBB of the pixel. */
        int rgb(int x, int y);
    }

    static byte[] encode(Picture picture) {
        int width = picture.width();
        int height = picture.height();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(width * height / 4);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
            byte[] row = new byte[1 + width * 3]; // filter byte 0 (none), then RGB
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = picture.rgb(x, y);
                    row[1 + x * 3] = (byte) (rgb >>> 16);
                    row[2 + x * 3] = (byte) (rgb >>> 8);
                    row[3 + x * 3] = (byte) rgb;
                }
                zlib.write(row);
            }
        } catch (java.io.IOException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.size() + 64);
        png.writeBytes(SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8)   // bit depth
                .put((byte) 2)   // colour type: truecolour
                .put((byte) 0).put((byte) 0).put((byte) 0); // deflate, adaptive filtering, no interlace
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private PngEncoder() {
    }
}
