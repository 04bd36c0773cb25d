package dev.beatline.intake.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines from a stream without ever holding more than {@code maxLineBytes} of one
 * line. A longer line is returned truncated, flagged {@link #tooLarge()}, and the rest of it is skipped.
 * Not thread-safe.
 */
public final class LineReader {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean tooLarge;
    private boolean terminated;
    private boolean eof;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Advances to the next line.
     *
     * @return false at end of stream (no further line)
     */
    public boolean next() throws IOException {
        lineLength = 0;
        tooLarge = false;
        terminated = false;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // the '\n'
                terminated = true;
                return true;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private void append(int from, int len) {
        if (tooLarge || len == 0) {
            return;
        }
        int room = maxLineBytes - lineLength;
        if (len > room) {
            len = room;
            tooLarge = true;
        }
        if (lineLength + len > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + len)));
        }
        System.arraycopy(buf, from, line, lineLength, len);
        lineLength += len;
    }

    /** The current line's bytes (valid up to {@link #length()}; reused by the next call). */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return lineLength;
    }

    /** True when the line was longer than the cap; {@link #bytes()} then holds its first bytes. */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** True when the line ended with {@code \n} (false for a last line at end of stream). */
    public boolean terminated() {
        return terminated;
    }

    /** True when the line holds only white space. */
    public boolean isBlank() {
        for (int i = 0; i < lineLength; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
