package dev.beatline.intake.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with {@link LimitExceededException} once more than {@code max} bytes were read. */
public final class LimitedInputStream extends FilterInputStream {

    /** The decompressed body is larger than allowed: 413. */
    public static final class LimitExceededException extends IOException {
        public LimitExceededException(long max) {
            super("request body exceeded the permitted size of " + max + " bytes (decompressed)");
        }
    }

    private final long max;
    private long count;

    public LimitedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        count += n;
        if (count > max) {
            throw new LimitExceededException(max);
        }
    }

    public long count() {
        return count;
    }
}
