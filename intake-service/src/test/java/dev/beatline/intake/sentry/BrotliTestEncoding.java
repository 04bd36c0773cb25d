package dev.beatline.intake.sentry;

import java.io.ByteArrayOutputStream;

/**
 * Writes a valid Brotli stream (RFC 7932) made of uncompressed meta-blocks, so tests can send
 * {@code Content-Encoding: br} without a native encoder.
 */
final class BrotliTestEncoding {

    private BrotliTestEncoding() {
    }

    static byte[] uncompressed(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        boolean first = true;
        while (pos < data.length) {
            int len = Math.min(65536, data.length - pos);
            // bits, LSB first: [WBITS=16: 0] ISLAST=0, MNIBBLES=4 (00), MLEN-1 (16 bits), ISUNCOMPRESSED=1
            long bits = 0;
            int n = 0;
            if (first) {
                n += 1; // WBITS '0'
            }
            n += 1; // ISLAST 0
            n += 2; // MNIBBLES 00
            bits |= (long) (len - 1) << n;
            n += 16;
            bits |= 1L << n;
            n += 1;
            int bytes = (n + 7) / 8;
            for (int i = 0; i < bytes; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
            out.write(data, pos, len);
            pos += len;
            first = false;
        }
        // final empty meta-block: ISLAST=1, ISLASTEMPTY=1 (after WBITS when the stream had no data)
        out.write(first ? 0b110 : 0b11);
        return out.toByteArray();
    }
}
