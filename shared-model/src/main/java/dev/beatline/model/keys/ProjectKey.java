package dev.beatline.model.keys;

import java.util.Set;

/** A valid, unrevoked key as the intake caches it: never the secret, only what authorization needs. */
public record ProjectKey(long keyId, long projectId, String projectSlug, String publicKey, Set<String> scopes) {

    /** May send events to the intake. */
    public static final String SCOPE_INGEST = "ingest";
    /** May read the project's data through the query API. */
    public static final String SCOPE_READ = "read";
    /** May read the project's data and change its issues (resolve, ignore, assign …), as Sentry's event:write. */
    public static final String SCOPE_WRITE = "write";
    /** May administer every project (projects, keys, limits) and read all data. */
    public static final String SCOPE_ADMIN = "admin";

    public boolean canIngest() {
        return scopes.contains(SCOPE_INGEST);
    }

    public boolean isAdmin() {
        return scopes.contains(SCOPE_ADMIN);
    }

    /** Admin keys read every project; read and write keys only their own. */
    public boolean canRead(long project) {
        return isAdmin() || ((scopes.contains(SCOPE_READ) || scopes.contains(SCOPE_WRITE)) && projectId == project);
    }

    /** Admin keys change the issues of every project; write keys only of their own. */
    public boolean canWrite(long project) {
        return isAdmin() || (scopes.contains(SCOPE_WRITE) && projectId == project);
    }

    @Override
    public String toString() {
        return "ProjectKey[" + keyId + " of project " + projectSlug + ", scopes " + scopes + "]";
    }
}
