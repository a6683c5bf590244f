package dev.pacer.core.job;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageHeaderTest {

    @Test
    void aPngIsKnownByItsSignatureAndSizedByItsIhdr() {
        assertEquals(Optional.of(new ImageHeader("image/png", Optional.of(new ImageHeader.Size(1024, 768)))),
                ImageHeader.of(TestImages.png(1024, 768, 100)));
    }

    @Test
    void aJpegIsSizedByItsFrameHeaderBehindOtherSegments() {
        assertEquals(Optional.of(new ImageHeader("image/jpeg", Optional.of(new ImageHeader.Size(1536, 1024)))),
                ImageHeader.of(TestImages.jpeg(1536, 1024, 100)));
    }

    @Test
    void anExtendedWebpIsSizedByItsCanvas() {
        assertEquals(Optional.of(new ImageHeader("image/webp", Optional.of(new ImageHeader.Size(4000, 3000)))),
                ImageHeader.of(TestImages.webp(4000, 3000, 100)));
    }

    @Test
    void aLossyWebpIsSizedByItsKeyFrame() {
        byte[] b = TestImages.webp(1, 1, 40);
        b[15] = ' ';
        b[23] = (byte) 0x9d;
        b[24] = 0x01;
        b[25] = 0x2a;
        b[26] = (byte) 0x80; // 640 = 0x0280
        b[27] = 0x02;
        b[28] = (byte) 0xe0; // 480 = 0x01e0
        b[29] = 0x01;
        assertEquals(Optional.of(new ImageHeader.Size(640, 480)), ImageHeader.of(b).orElseThrow().size());
    }

    @Test
    void aLosslessWebpIsSizedByItsBitstreamHeader() {
        byte[] b = TestImages.webp(1, 1, 40);
        b[15] = 'L';
        b[20] = 0x2f;
        long bits = (100 - 1) | (long) (50 - 1) << 14;
        b[21] = (byte) bits;
        b[22] = (byte) (bits >> 8);
        b[23] = (byte) (bits >> 16);
        b[24] = (byte) (bits >> 24);
        assertEquals(Optional.of(new ImageHeader.Size(100, 50)), ImageHeader.of(b).orElseThrow().size());
    }

    @Test
    void textBehindAPngNameIsNoImage() {
        assertEquals(Optional.empty(), ImageHeader.of("GIF89a or just text".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ImageHeader.of(new byte[0]));
    }

    @Test
    void aTruncatedPngIsAPngOfUnknownSize() {
        byte[] head = java.util.Arrays.copyOf(TestImages.png(10, 10, 40), 12);
        assertEquals(Optional.of(new ImageHeader("image/png", Optional.empty())), ImageHeader.of(head));
    }
}
