package dev.beatline.grouping;

/** The two ways a stack trace is read: only the application's frames, or every frame. */
enum Variant {
    /** In-app frames only. */
    APP("app"),
    /** All frames. */
    SYSTEM("system");

    final String label;

    Variant(String label) {
        this.label = label;
    }
}
