package dev.beatline.intake.internal;

import io.vertx.core.http.HttpServerRequest;

/** The sender's address: the first {@code X-Forwarded-For} entry (set by a proxy), else the connection's peer. */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(String xForwardedFor, HttpServerRequest request) {
        if (xForwardedFor != null && !xForwardedFor.isBlank()) {
            int comma = xForwardedFor.indexOf(',');
            return (comma < 0 ? xForwardedFor : xForwardedFor.substring(0, comma)).trim();
        }
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().host();
    }
}
