package dev.pacer.providers.http;

import java.io.InputStream;
import java.util.Iterator;

/**
 * An input stream over pieces made one at a time: a batch's input file is sent as its lines are written, so a
 * request of hundreds of megabytes is never one array.
 */
public final class ChunkStream extends InputStream {

    private final Iterator<byte[]> pieces;
    private byte[] current = new byte[0];
    private int at;

    public ChunkStream(Iterator<byte[]> pieces) {
        this.pieces = pieces;
    }

    /** How many bytes {@code pieces} make together: the Content-Length a request declares before sending them. */
    public static long length(Iterable<byte[]> pieces) {
        long total = 0;
        for (byte[] piece : pieces) {
            total += piece.length;
        }
        return total;
    }

    @Override
    public int read() {
        return advance() ? current[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = Math.min(len, current.length - at);
        System.arraycopy(current, at, b, off, n);
        at += n;
        return n;
    }

    private boolean advance() {
        while (at == current.length) {
            if (!pieces.hasNext()) {
                return false;
            }
            current = pieces.next();
            at = 0;
        }
        return true;
    }
}
