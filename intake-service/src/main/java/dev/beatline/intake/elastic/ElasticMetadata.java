package dev.beatline.intake.elastic;

import static dev.beatline.intake.internal.Json.get;
import static dev.beatline.intake.internal.Json.object;
import static dev.beatline.intake.internal.Json.required;
import static dev.beatline.intake.internal.Json.string;
import static dev.beatline.intake.internal.Json.stringOrNumber;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beatline.intake.internal.Json;
import dev.beatline.intake.internal.ValidationException;
import dev.beatline.model.Agent;
import dev.beatline.model.Host;
import dev.beatline.model.Service;
import dev.beatline.model.User;
import java.util.Map;

/** The first line of an intake stream, decoded: merged into every event of the stream. */
public record ElasticMetadata(Service service, Agent agent, Host host, User user, Map<String, Object> labels) {

    /**
     * Decodes {@code {"metadata":{…}}} (the root key already removed).
     *
     * @param clientIp the connection's client address, recorded as {@code host.ip}
     */
    public static ElasticMetadata decode(JsonNode m, String clientIp) {
        if (m == null || !m.isObject() || !hasAnyValue(m)) { // all-null metadata is "not set", as in apm-server
            throw new ValidationException("validation error: 'metadata' required");
        }
        JsonNode s = get(m, "service");
        if (s == null) {
            throw new ValidationException("validation error: metadata: 'service' required");
        }
        String where = "validation error: metadata: service";
        String name = required(s, "name", where);
        if (name.isEmpty() || !name.matches("[a-zA-Z0-9 _-]+")) {
            throw new ValidationException(where + ": 'name' does not match '^[a-zA-Z0-9 _-]+$'");
        }
        JsonNode agentNode = get(s, "agent");
        if (agentNode == null) {
            throw new ValidationException(where + ": 'agent' required");
        }
        String agentName = required(agentNode, "name", where + ": agent");
        String agentVersion = required(agentNode, "version", where + ": agent");
        JsonNode language = object(s, "language", where);
        JsonNode runtime = object(s, "runtime", where);
        JsonNode framework = object(s, "framework", where);
        if (language != null) {
            required(language, "name", where + ": language");
        }
        if (runtime != null) {
            required(runtime, "name", where + ": runtime");
            required(runtime, "version", where + ": runtime");
        }
        JsonNode sys = object(m, "system", "validation error: metadata");
        String hostname = firstNonBlank(string(sys, "configured_hostname", "system"),
                string(sys, "detected_hostname", "system"), string(sys, "hostname", "system"));
        String k8sNode = Json.string(Json.path(sys, "kubernetes.node"), "name", "system.kubernetes.node");
        if (k8sNode != null) {
            hostname = k8sNode;
        }
        String containerId = string(Json.path(sys, "container"), "id", "system.container");
        String nodeName = firstNonBlank(string(Json.path(s, "node"), "configured_name", where + ": node"), containerId, hostname);
        Service service = new Service(name, string(s, "version", where), string(s, "environment", where), nodeName,
                string(language, "name", where), string(language, "version", where),
                string(runtime, "name", where), string(runtime, "version", where),
                string(framework, "name", where), string(framework, "version", where));
        Host host = new Host(hostname, string(sys, "architecture", "system"), string(sys, "platform", "system"),
                containerId, string(Json.path(sys, "kubernetes"), "namespace", "system.kubernetes"),
                string(Json.path(sys, "kubernetes.pod"), "name", "system.kubernetes.pod"), clientIp);
        JsonNode u = object(m, "user", "validation error: metadata");
        User user = u == null ? null : new User(stringOrNumber(u, "id", "user"), string(u, "username", "user"),
                string(u, "email", "user"), null);
        JsonNode cloud = object(m, "cloud", "validation error: metadata");
        if (cloud != null) {
            required(cloud, "provider", "validation error: metadata: cloud");
        }
        JsonNode process = object(m, "process", "validation error: metadata");
        if (process != null && get(process, "pid") == null) {
            throw new ValidationException("validation error: metadata: process: 'pid' required");
        }
        return new ElasticMetadata(service, new Agent(agentName, agentVersion), host, user,
                Json.labels(get(m, "labels"), "validation error: metadata: labels"));
    }

    private static boolean hasAnyValue(JsonNode m) {
        for (JsonNode v : m) {
            if (!v.isNull()) {
                return true;
            }
        }
        return false;
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
