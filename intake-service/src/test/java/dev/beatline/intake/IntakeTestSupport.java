package dev.beatline.intake;

import dev.beatline.model.Topics;
import dev.beatline.model.keys.ProjectKeys;
import dev.beatline.model.keys.SecretHashing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Seeds projects and keys in the test database, as the admin API would, and creates the topics, as deployments do. */
public final class IntakeTestSupport {

    /** A project with one key: what a test sends with. */
    public record SeededProject(long id, String slug, String secret) {
    }

    private IntakeTestSupport() {
    }

    /** The public key (Sentry DSN key) of the project's first key. */
    public static String publicKey(DataSource ds, long projectId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT public_key FROM project_keys WHERE project_id = ? ORDER BY id LIMIT 1")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    public static SeededProject project(DataSource ds, String... scopes) throws SQLException {
        String slug = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = SecretHashing.newSecret();
        try (Connection c = ds.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO projects (slug, name) VALUES (?, ?) RETURNING id")) {
                ps.setString(1, slug);
                ps.setString(2, slug);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            ProjectKeys.createIfAbsent(c, id, "test key", secret, Set.of(scopes.length == 0 ? new String[] {"ingest"} : scopes));
            return new SeededProject(id, slug, secret);
        }
    }

    /**
     * Creates Beatline's topics (broker default partitions) unless they exist, as the launcher and deployments do
     * before the intake runs. Relying on auto-creation instead lets the first idempotent produce to a brand-new
     * partition fail with NOT_LEADER_OR_FOLLOWER and its retry loop on OUT_OF_ORDER_SEQUENCE_NUMBER (seen with the
     * Kafka 4.2 test broker), so the request gets a 503.
     */
    public static void createTopics(String bootstrapServers) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList();
            admin.createTopics(missing).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics", e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topics in time", e);
        }
    }
}
