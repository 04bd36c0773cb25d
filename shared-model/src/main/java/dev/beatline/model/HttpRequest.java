package dev.beatline.model;

import java.util.Map;

/**
 * The HTTP request an event happened in. Headers and cookies are kept as sent; the processor scrubs
 * secrets before anything is stored.
 */
public record HttpRequest(
        String method,
        String url,
        String queryString,
        Map<String, Object> headers,
        Map<String, Object> cookies,
        Object body,
        Map<String, Object> env,
        String httpVersion) {
}
