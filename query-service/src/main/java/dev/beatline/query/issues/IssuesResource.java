package dev.beatline.query.issues;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.auth.ApiAuth;
import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The issues of a project, most recently seen first. */
@Path("/api/v1/projects/{project}/issues")
@Produces(MediaType.APPLICATION_JSON)
public class IssuesResource {

    static final Set<String> STATUSES = Set.of("unresolved", "resolved", "resolved_in_next_release", "ignored");

    private final ApiAuth auth;
    private final AgroalDataSource dataSource;

    public IssuesResource(ApiAuth auth, AgroalDataSource dataSource) {
        this.auth = auth;
        this.dataSource = dataSource;
    }

    @GET
    public Map<String, Object> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            throw ApiProblem.badRequest("limit", "must be between 1 and 500");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status", "must be one of " + STATUSES);
        }
        String sql = """
                SELECT id, title, culprit, level, type, platform, service_name, status, substatus, first_seen,
                       last_seen, times_seen, users_affected, first_release, last_release, fingerprint
                  FROM issues WHERE project_id = ?""" + (status == null ? "" : " AND status = ?")
                + " ORDER BY last_seen DESC, id DESC LIMIT ?";
        List<IssueSummary> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, p.id());
            if (status != null) {
                ps.setString(i++, status);
            }
            ps.setInt(i, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IssueSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant(), rs.getLong(12),
                            rs.getLong(13), rs.getString(14), rs.getString(15), rs.getString(16)));
                }
            }
        }
        return Map.of("project", p.slug(), "issues", out);
    }
}
