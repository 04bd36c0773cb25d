package dev.beatline.query.admin;

import java.net.URI;

/** Builds Sentry DSNs ({@code scheme://<public key>@host[:port][/path]/<project id>}) from the public intake URL. */
public final class SentryDsn {

    private SentryDsn() {
    }

    /**
     * @param publicIntakeUrl how SDKs reach the intake, e.g. {@code http://127.0.0.1:8200} or
     *                        {@code https://beatline.example.com/ingest}
     */
    public static String of(String publicIntakeUrl, String publicKey, long projectId) {
        URI base = URI.create(publicIntakeUrl.trim());
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("beatline.public-intake-url must be an absolute http(s) URL");
        }
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return base.getScheme() + "://" + publicKey + "@" + base.getHost()
                + (base.getPort() < 0 ? "" : ":" + base.getPort()) + path + "/" + projectId;
    }
}
