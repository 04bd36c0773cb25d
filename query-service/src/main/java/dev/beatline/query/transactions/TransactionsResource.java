package dev.beatline.query.transactions;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.api.TimeRange;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Transaction groups of a project over a time range (default: the last 24 hours), by impact. */
@Path("/api/v1/projects/{project}/transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionsResource {

    private final ApiAuth auth;
    private final AgroalDataSource dataSource;

    public TransactionsResource(ApiAuth auth, AgroalDataSource dataSource) {
        this.auth = auth;
        this.dataSource = dataSource;
    }

    @GET
    public Map<String, Object> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @QueryParam("service") String service,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") Integer limit)
            throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        TimeRange range = TimeRange.parse(from, to, Duration.ofHours(24));
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiProblem.badRequest("limit", "must be between 1 and 1000");
        }
        double minutes = Math.max(1, Duration.between(range.from(), range.to()).toSeconds() / 60.0);
        String sql = """
                SELECT service_name, environment, transaction_type, transaction_name,
                       SUM(count), SUM(failure_count), SUM(sum_us), MIN(min_us), MAX(max_us)
                  FROM transaction_metrics
                 WHERE project_id = ? AND bucket >= date_trunc('minute', ?::timestamptz) AND bucket < ?"""
                + (service == null ? "" : " AND service_name = ?") + """

                 GROUP BY service_name, environment, transaction_type, transaction_name
                 ORDER BY SUM(sum_us) DESC LIMIT ?""";
        List<TransactionGroup> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, p.id());
            ps.setTimestamp(i++, Timestamp.from(range.from()));
            ps.setTimestamp(i++, Timestamp.from(range.to()));
            if (service != null) {
                ps.setString(i++, service);
            }
            ps.setInt(i, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double count = rs.getDouble(5);
                    double failures = rs.getDouble(6);
                    double sum = rs.getDouble(7);
                    out.add(new TransactionGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            count, failures, count == 0 ? 0 : failures / count, count == 0 ? 0 : sum / count,
                            rs.getLong(8), rs.getLong(9), count / minutes, sum));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", p.slug());
        body.put("from", range.from());
        body.put("to", range.to());
        body.put("transactions", out);
        return body;
    }
}
