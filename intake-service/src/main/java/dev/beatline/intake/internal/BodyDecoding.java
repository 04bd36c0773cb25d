package dev.beatline.intake.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.brotli.dec.BrotliInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Request-body decompression as apm-server does it: {@code Content-Encoding: gzip} → gzip, {@code deflate} →
 * zlib (RFC 1950), {@code br} → Brotli (Sentry SDKs may send it); otherwise sniff the first bytes ({@code 1f 8b} → gzip, low nibble 8 → zlib). The result is
 * capped at {@code maxBytes} decompressed bytes.
 */
public final class BodyDecoding {

    private BodyDecoding() {
    }

    /** Thrown with apm-server's message when the compressed body is not what its header says. */
    public static final class DecodingException extends IOException {
        public DecodingException(String message) {
            super(message);
        }
    }

    public static LimitedInputStream decode(InputStream raw, String contentEncoding, long maxBytes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 8192);
        String enc = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase();
        InputStream decoded;
        if (enc.equals("gzip") || enc.equals("x-gzip")) {
            decoded = gzip(in);
        } else if (enc.equals("deflate")) {
            decoded = zlib(in);
        } else if (enc.equals("br")) {
            decoded = brotli(in);
        } else {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                decoded = gzip(in);
            } else if (b0 >= 0 && b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0) {
                decoded = zlib(in);
            } else {
                decoded = in;
            }
        }
        return new LimitedInputStream(decoded, maxBytes);
    }

    private static InputStream gzip(BufferedInputStream in) throws IOException {
        try {
            return new GZIPInputStream(in, 8192);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DecodingException("data decoding error: gzip: invalid header");
        }
    }

    private static InputStream brotli(BufferedInputStream in) throws IOException {
        try {
            return new BrotliInputStream(in);
        } catch (IOException e) {
            throw new DecodingException("data decoding error: brotli: invalid header");
        }
    }

    private static InputStream zlib(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 < 0 || b1 < 0 || (b0 & 0x0f) != 8 || ((b0 << 8) | b1) % 31 != 0) {
            throw new DecodingException("data decoding error: zlib: invalid header");
        }
        return new InflaterInputStream(in);
    }
}
