package dev.beatline.infra;

/** Connection data of one PostgreSQL database. */
public record Database(String name, String jdbcUrl, String username, String password) {

    /** The Vert.x reactive client form of {@link #jdbcUrl()}: {@code postgresql://host:port/name}. */
    public String reactiveUrl() {
        return jdbcUrl.substring("jdbc:".length());
    }
}
