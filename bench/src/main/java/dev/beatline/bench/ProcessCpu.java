package dev.beatline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system, all threads) of another process, read from {@code /proc/<pid>/stat}. */
final class ProcessCpu {

    private final Path stat;
    private final int clockTicksPerSecond;

    ProcessCpu(long pid, int clockTicksPerSecond) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** utime + stime in seconds. */
    double seconds() {
        try {
            return parseTicks(Files.readString(stat)) / (double) clockTicksPerSecond;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat + " (did the server exit?)", e);
        }
    }

    /**
     * utime (field 14) + stime (field 15) of a stat line. Fields are counted after the command name, which is in
     * parentheses and may itself contain spaces and parentheses, so parsing starts after the last ')'.
     */
    static long parseTicks(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14 → f[11], stime field 15 → f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
