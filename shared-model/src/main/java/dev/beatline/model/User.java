package dev.beatline.model;

/** The end user affected by an event. Distinct users are counted by id, else username, else email, else ip. */
public record User(String id, String username, String email, String ip) {

    /** The identity used to count distinct users, or null when nothing identifies the user. */
    public String identity() {
        if (notBlank(id)) {
            return "id:" + id;
        }
        if (notBlank(username)) {
            return "username:" + username;
        }
        if (notBlank(email)) {
            return "email:" + email;
        }
        if (notBlank(ip)) {
            return "ip:" + ip;
        }
        return null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
