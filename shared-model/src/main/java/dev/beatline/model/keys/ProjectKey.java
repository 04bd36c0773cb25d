package dev.beatline.model.keys;

import java.util.Set;

/** A valid, unrevoked key as the intake caches it: never the secret, only what authorization needs. */
public record ProjectKey(long keyId, long projectId, String projectSlug, String publicKey, Set<String> scopes) {

    /** May send events to the intake. */
    public static final String SCOPE_INGEST = "ingest";
    /** May read the project's data through the query API. */
    public static final String SCOPE_READ = "read";
    /** May administer every project (projects, keys, limits) and read all data. */
    public static final String SCOPE_ADMIN = "admin";

    public boolean canIngest() {
        return scopes.contains(SCOPE_INGEST);
    }

    public boolean isAdmin() {
        return scopes.contains(SCOPE_ADMIN);
    }

    /** Admin keys read every project; read keys only their own. */
    public boolean canRead(long project) {
        return isAdmin() || (scopes.contains(SCOPE_READ) && projectId == project);
    }

    @Override
    public String toString() {
        return "ProjectKey[" + keyId + " of project " + projectSlug + ", scopes " + scopes + "]";
    }
}
