package dev.beatline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Data directory helpers. */
final class Directories {

    private Directories() {
    }

    /** {@code dir}, created if missing, or a new temporary directory when {@code dir} is null. */
    static Path createOrTemp(Path dir, String tempPrefix) {
        try {
            return dir == null ? Files.createTempDirectory(tempPrefix) : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /** Deletes {@code dir} and everything below it. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
