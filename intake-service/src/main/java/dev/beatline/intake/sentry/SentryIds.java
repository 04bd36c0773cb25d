package dev.beatline.intake.sentry;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Sentry event ids: 32 lowercase hex characters; 36-character UUIDs with dashes are accepted and normalized. */
final class SentryIds {

    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    private SentryIds() {
    }

    /** The normalized id, or null for null. @throws EnvelopeFormatException when it is not a UUID */
    static String normalize(String id) {
        if (id == null) {
            return null;
        }
        String s = id.replace("-", "").toLowerCase(Locale.ROOT);
        if (!HEX32.matcher(s).matches() || (id.length() != 32 && id.length() != 36)) {
            throw new EnvelopeFormatException("invalid event id");
        }
        return s;
    }

    static String random() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
