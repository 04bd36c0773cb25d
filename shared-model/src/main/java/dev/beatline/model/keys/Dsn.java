package dev.beatline.model.keys;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A Sentry DSN, {@code <scheme>://<public key>@<host>[:port][/path]/<project id>}: what Sentry SDKs are
 * configured with. Every project key has one; the intake reads the public key and the project id back from it.
 */
public record Dsn(String scheme, String publicKey, String host, int port, String path, long projectId) {

    public Dsn {
        Objects.requireNonNull(publicKey, "publicKey");
        path = path == null ? "" : path;
    }

    /**
     * The DSN of a key of a project served by the intake at {@code intakeBaseUrl}, e.g.
     * {@code forKey("http://127.0.0.1:8200", "ab12…", 1)} → {@code http://ab12…@127.0.0.1:8200/1}.
     */
    public static Dsn forKey(String intakeBaseUrl, String publicKey, long projectId) {
        URI base = URI.create(intakeBaseUrl);
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return new Dsn(base.getScheme(), publicKey, base.getHost(), base.getPort(), path, projectId);
    }

    /**
     * Parses a DSN (the secret part {@code :secret} after the public key is accepted and ignored).
     *
     * @throws IllegalArgumentException when it is not a DSN
     */
    public static Dsn parse(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a DSN: " + e.getReason());
        }
        String userInfo = uri.getRawUserInfo();
        if (uri.getScheme() == null || uri.getHost() == null || userInfo == null || userInfo.isEmpty()) {
            throw new IllegalArgumentException("not a DSN: expected scheme://public_key@host/project_id");
        }
        int colon = userInfo.indexOf(':');
        String publicKey = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String rawPath = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        int slash = rawPath.lastIndexOf('/');
        String idPart = rawPath.substring(slash + 1);
        long projectId;
        try {
            projectId = Long.parseLong(idPart);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a DSN: the path must end with the numeric project id");
        }
        if (publicKey.isEmpty()) {
            throw new IllegalArgumentException("not a DSN: public key missing");
        }
        return new Dsn(uri.getScheme(), publicKey, uri.getHost(), uri.getPort(), rawPath.substring(0, Math.max(slash, 0)),
                projectId);
    }

    @Override
    public String toString() {
        return scheme + "://" + publicKey + "@" + host + (port < 0 ? "" : ":" + port) + path + "/" + projectId;
    }
}
