package dev.beatline.grouping;

/**
 * What the stack-trace rules decided for one frame.
 *
 * @param inApp     whether the frame is the application's own code (an unknown in-app becomes false)
 * @param group     whether the frame may contribute to grouping at all
 * @param appHint   which rule set {@code inApp}; null when the client's value stood
 * @param groupHint which rule set {@code group}; null when no rule did
 */
public record FrameFlags(boolean inApp, boolean group, String appHint, String groupHint) {
}
