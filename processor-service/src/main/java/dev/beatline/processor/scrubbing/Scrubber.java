package dev.beatline.processor.scrubbing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beatline.model.Breadcrumb;
import dev.beatline.model.ErrorEvent;
import dev.beatline.model.EventCodec;
import dev.beatline.model.EventHeader;
import dev.beatline.model.ExceptionInfo;
import dev.beatline.model.HttpRequest;
import dev.beatline.model.StackFrame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from an error before anything of it is stored, as Sentry's server-side data scrubber does:
 * values of fields whose name looks sensitive (password, secret, token, api_key, auth, credentials, session,
 * cookie, … plus configured names; matched case-insensitively as substrings, {@code -} counted as {@code _})
 * in request headers, cookies, body, env and query string, the URL's query, contexts, labels, frame vars and
 * breadcrumb data; and credit-card numbers (13–19 digits, Luhn-valid) in any of those strings and in
 * messages and exception values. Replaced by {@value #FILTERED}. Pure and thread-safe.
 */
public final class Scrubber {

    public static final String FILTERED = "[Filtered]";

    /** Sensitive name fragments scrubbed by default (Sentry's defaults plus cookie, which covers Set-Cookie). */
    public static final List<String> DEFAULT_FIELDS = List.of("password", "passwd", "pwd", "secret", "token",
            "api_key", "apikey", "auth", "credentials", "session", "private_key", "privatekey", "cookie");

    /**
     * 13–19 digits, optionally grouped by single spaces or dashes, not part of a longer digit run. Card numbers
     * start with 2–6 (Mastercard, Amex/Diners, Visa, Mastercard, Discover/UnionPay), which keeps epoch
     * milliseconds (leading 1) and similar ids from being taken for cards.
     */
    private static final Pattern CARD = Pattern.compile("(?<![\\d])[2-6](?:[ -]?\\d){12,18}(?![\\d])");

    private final boolean enabled;
    private final List<String> fields;

    /**
     * @param enabled     false: events pass unchanged
     * @param extraFields name fragments scrubbed in addition to {@link #DEFAULT_FIELDS}
     */
    public Scrubber(boolean enabled, Collection<String> extraFields) {
        this.enabled = enabled;
        List<String> all = new ArrayList<>(DEFAULT_FIELDS);
        for (String f : extraFields) {
            if (f != null && !f.isBlank()) {
                all.add(normalize(f.trim()));
            }
        }
        this.fields = List.copyOf(all);
    }

    /** The event with its secrets replaced; the same instance when scrubbing is disabled. */
    public ErrorEvent scrub(ErrorEvent e) {
        if (!enabled) {
            return e;
        }
        EventHeader h = e.header();
        EventHeader header = new EventHeader(h.schema(), h.eventId(), h.projectId(), h.receivedAt(), h.timestamp(),
                h.source(), h.service(), h.agent(), h.host(), h.user(), scrubMap(h.labels()));
        List<ExceptionInfo> exceptions = new ArrayList<>(e.exceptions().size());
        for (ExceptionInfo x : e.exceptions()) {
            exceptions.add(new ExceptionInfo(x.type(), scrubString(x.value()), x.module(), x.handled(), x.mechanism(),
                    scrubFrames(x.frames())));
        }
        List<Breadcrumb> breadcrumbs = new ArrayList<>(e.breadcrumbs().size());
        for (Breadcrumb b : e.breadcrumbs()) {
            breadcrumbs.add(new Breadcrumb(b.timestamp(), b.type(), b.category(), b.level(), scrubString(b.message()),
                    scrubMap(b.data())));
        }
        return new ErrorEvent(header, e.trace(), e.level(), scrubString(e.message()), scrubString(e.paramMessage()),
                e.loggerName(), e.culprit(), exceptions, scrubFrames(e.logStacktrace()), e.fingerprint(),
                e.platform(), e.transactionName(), e.transactionType(), scrubRequest(e.request()), breadcrumbs,
                scrubMap(e.contexts()));
    }

    /** Whether values of a field with this name are replaced. */
    public boolean isSensitive(String name) {
        if (name == null) {
            return false;
        }
        String n = normalize(name);
        for (String f : fields) {
            if (n.contains(f)) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest scrubRequest(HttpRequest r) {
        if (r == null) {
            return null;
        }
        return new HttpRequest(r.method(), scrubUrl(r.url()), scrubQueryString(r.queryString()), scrubMap(r.headers()),
                scrubMap(r.cookies()), scrubBody(r.body()), scrubMap(r.env()), r.httpVersion());
    }

    private List<StackFrame> scrubFrames(List<StackFrame> frames) {
        if (frames.stream().allMatch(f -> f.vars() == null || f.vars().isEmpty())) {
            return frames;
        }
        List<StackFrame> out = new ArrayList<>(frames.size());
        for (StackFrame f : frames) {
            out.add(f.vars() == null ? f : new StackFrame(f.function(), f.module(), f.filename(), f.absPath(),
                    f.lineno(), f.colno(), f.inApp(), f.contextLine(), f.preContext(), f.postContext(),
                    scrubMap(f.vars()), f.platform()));
        }
        return out;
    }

    /** Values under sensitive keys become {@value #FILTERED}; the rest is scrubbed recursively. */
    public Map<String, Object> scrubMap(Map<String, Object> map) {
        if (map == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
        for (Map.Entry<String, Object> en : map.entrySet()) {
            Object v = en.getValue();
            out.put(en.getKey(), v != null && isSensitive(en.getKey()) ? FILTERED : scrubValue(v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object scrubValue(Object v) {
        if (v instanceof String s) {
            return scrubString(s);
        }
        if (v instanceof Map<?, ?> m) {
            return scrubMap((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(scrubValue(x)));
            return out;
        }
        return v;
    }

    /** A body as sent: structured, JSON text, form-encoded text, or other text. */
    private Object scrubBody(Object body) {
        if (!(body instanceof String s)) {
            return scrubValue(body);
        }
        String t = s.trim();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                Object parsed = EventCodec.mapper().readValue(t, Object.class);
                return EventCodec.mapper().writeValueAsString(scrubValue(parsed));
            } catch (JsonProcessingException notJson) {
                return scrubString(s);
            }
        }
        return t.contains("=") && !t.contains(" ") ? scrubQueryString(s) : scrubString(s);
    }

    /** {@code a=1&password=x} → {@code a=1&password=[Filtered]}; card numbers in values are scrubbed too. */
    public String scrubQueryString(String qs) {
        if (qs == null || qs.isEmpty()) {
            return qs;
        }
        StringBuilder out = new StringBuilder(qs.length());
        for (String pair : qs.split("&", -1)) {
            if (out.length() > 0 || qs.startsWith("&")) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            if (eq > 0 && isSensitive(pair.substring(0, eq))) {
                out.append(pair, 0, eq + 1).append(FILTERED);
            } else {
                out.append(scrubString(pair));
            }
        }
        return out.toString();
    }

    private String scrubUrl(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return scrubString(url);
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        String rest = hash < 0 ? "" : url.substring(hash);
        return scrubString(url.substring(0, q)) + "?" + scrubQueryString(query) + scrubString(rest);
    }

    /** Replaces credit-card numbers (Luhn-valid, 13–19 digits) in free text. */
    public String scrubString(String s) {
        if (s == null || s.length() < 13) {
            return s;
        }
        Matcher m = CARD.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (luhnValid(m.group())) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, last, m.start()).append(FILTERED);
                last = m.end();
            }
        }
        if (out == null) {
            return s;
        }
        return out.append(s, last, s.length()).toString();
    }

    static boolean luhnValid(String candidate) {
        int sum = 0;
        int digits = 0;
        boolean doubleIt = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char ch = candidate.charAt(i);
            if (ch < '0' || ch > '9') {
                continue;
            }
            int d = ch - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
