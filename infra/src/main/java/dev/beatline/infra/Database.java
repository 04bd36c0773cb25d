package dev.beatline.infra;

/** Connection data of one PostgreSQL database. */
public record Database(String name, String jdbcUrl, String username, String password) {
}
