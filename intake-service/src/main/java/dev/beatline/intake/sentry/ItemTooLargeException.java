package dev.beatline.intake.sentry;

/** An item (or the whole envelope) is larger than allowed: 413 with Sentry's wording. */
public class ItemTooLargeException extends RuntimeException {

    private final String limitType;

    public ItemTooLargeException(String limitType) {
        super("envelope exceeded size limits for type '" + limitType
                + "' (https://develop.sentry.dev/sdk/envelopes/#size-limits)", null, false, false);
        this.limitType = limitType;
    }

    /** The item type (or {@code envelope}) whose limit was exceeded. */
    public String limitType() {
        return limitType;
    }
}
