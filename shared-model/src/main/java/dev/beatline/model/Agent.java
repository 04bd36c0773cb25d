package dev.beatline.model;

/** The agent or SDK that sent the event, e.g. {@code java 1.55.1} or {@code sentry.java 8.62.0}. */
public record Agent(String name, String version) {
}
