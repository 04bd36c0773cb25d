package dev.beatline.bench;

import java.util.concurrent.ThreadLocalRandom;

/** Random lower-case hex ids (trace ids, span ids) for generated payloads. */
final class Ids {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** {@code bytes} random bytes as {@code 2 * bytes} hex characters. */
    static String hex(ThreadLocalRandom random, int bytes) {
        char[] out = new char[bytes * 2];
        for (int i = 0; i < out.length; i += 2) {
            int v = random.nextInt(256);
            out[i] = HEX[v >>> 4];
            out[i + 1] = HEX[v & 0xf];
        }
        return new String(out);
    }
}
