package dev.beatline.query.transactions;

import dev.beatline.query.api.QueryParams;
import dev.beatline.query.api.TimeRange;
import dev.beatline.query.auth.ApiAuth;
import dev.beatline.query.transactions.TransactionDtos.TransactionList;
import dev.beatline.query.transactions.TransactionMetricsRepository.GroupFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Transaction groups of a whole project (optionally one service) over a range, default the last 24 hours. */
@Path("/api/v1/projects/{project}/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "services")
public class TransactionsResource {

    private final ApiAuth auth;
    private final TransactionMetricsRepository metrics;
    private final MetricsRollup rollup;

    public TransactionsResource(ApiAuth auth, TransactionMetricsRepository metrics, MetricsRollup rollup) {
        this.auth = auth;
        this.metrics = metrics;
        this.rollup = rollup;
    }

    @GET
    @Operation(summary = "Transaction groups of the project", description = "Like the per-service list, across services.")
    public TransactionList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @QueryParam("service") String service,
            @QueryParam("environment") String environment,
            @Parameter(description = "impact (default), throughput, failure_rate, average, p95, name") @QueryParam("sort") String sort,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        return list(metrics, rollup, p, new GroupFilter(QueryParams.optional(service), QueryParams.optional(environment), null,
                null), sort, from, to, limit);
    }

    static TransactionList list(TransactionMetricsRepository metrics, MetricsRollup rollup, ApiAuth.Project p,
            GroupFilter filter, String sort, String from, String to, String limit) throws SQLException {
        TimeRange range = TimeRange.parse(from, to, ServicesResource.DEFAULT_RANGE);
        int n = QueryParams.intParam("limit", limit, 100, 1, 1000);
        TransactionSort order = TransactionSort.ofParam(QueryParams.oneOf("sort", sort, TransactionSort.PARAMS, "impact"));
        return new TransactionList(p.slug(), range.from(), range.to(), order.param,
                metrics.groups(p.id(), filter, rollup.window(range), order, n));
    }
}
