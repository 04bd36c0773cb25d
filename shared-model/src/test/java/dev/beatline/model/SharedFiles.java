package dev.beatline.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** The protocol references beside the checkout ({@code ../shared}), as the build passes them to tests. */
public final class SharedFiles {

    private SharedFiles() {
    }

    /** A file under {@code shared/protocols}; fails the test clearly when the folder is not there. */
    public static Path protocols(String relative) {
        String dir = System.getProperty("beatline.shared.dir", "../shared");
        Path p = Path.of(dir, "protocols", relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException("protocol reference " + p + " not found: the shared/ folder must sit "
                    + "beside the checkout (or set -Dbeatline.shared.dir)");
        }
        return p;
    }
}
