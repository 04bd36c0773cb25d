package dev.beatline.query.transactions;

import dev.beatline.query.api.ApiProblem;
import dev.beatline.query.api.Buckets;
import dev.beatline.query.api.QueryParams;
import dev.beatline.query.api.TimeRange;
import dev.beatline.query.auth.ApiAuth;
import dev.beatline.query.transactions.TransactionDtos.DependencyList;
import dev.beatline.query.transactions.TransactionDtos.SeriesPoint;
import dev.beatline.query.transactions.TransactionDtos.ServiceOverview;
import dev.beatline.query.transactions.TransactionDtos.ServicesOverview;
import dev.beatline.query.transactions.TransactionDtos.TransactionList;
import dev.beatline.query.transactions.TransactionDtos.TransactionSeries;
import dev.beatline.query.transactions.TransactionMetricsRepository.GroupFilter;
import dev.beatline.query.transactions.TransactionMetricsRepository.Totals;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Services of a project, their transaction groups and the time series of one group. Default range: 24 h. */
@Path("/api/v1/projects/{project}/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "services", description = "services and transactions (read key)")
public class ServicesResource {

    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final ApiAuth auth;
    private final TransactionMetricsRepository metrics;
    private final ServiceOverviewRepository overview;
    private final DependencyRepository dependencies;
    private final MetricsRollup rollup;

    public ServicesResource(ApiAuth auth, TransactionMetricsRepository metrics, ServiceOverviewRepository overview,
            DependencyRepository dependencies, MetricsRollup rollup) {
        this.auth = auth;
        this.metrics = metrics;
        this.overview = overview;
        this.dependencies = dependencies;
        this.rollup = rollup;
    }

    @GET
    @Operation(summary = "Services overview", description = "Per service and environment: throughput, failure rate, "
            + "average and p95 latency (merged duration histograms) and error count over the range.")
    public ServicesOverview overview(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @QueryParam("from") String from, @QueryParam("to") String to)
            throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        TimeRange range = TimeRange.parse(from, to, DEFAULT_RANGE);
        List<ServiceOverview> out = overview.overview(p.id(), range);
        return new ServicesOverview(p.slug(), range.from(), range.to(), out);
    }

    @GET
    @Path("{service}/transactions")
    @Operation(summary = "Transactions of a service", description = "Sorted by impact (count × average, default), "
            + "throughput, failure_rate, average, p95 or name; the top `limit` groups, each with p50/p95/p99.")
    public TransactionList transactions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("service") String service,
            @QueryParam("environment") String environment, @QueryParam("type") String type,
            @Parameter(description = "impact (default), throughput, failure_rate, average, p95, name") @QueryParam("sort") String sort,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        return TransactionsResource.list(metrics, rollup, p, new GroupFilter(service, QueryParams.optional(environment),
                QueryParams.optional(type), null), sort, from, to, limit);
    }

    @GET
    @Path("{service}/dependencies")
    @Operation(summary = "Dependencies of a service", description = "The destinations the service calls (from exit "
            + "spans and dropped-span statistics): count, throughput, failure rate, average and p50/p95/p99 latency "
            + "over the range, by impact (count × average); the top `limit`.")
    public DependencyList dependencies(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("service") String service,
            @QueryParam("environment") String environment, @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit) throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        int n = QueryParams.intParam("limit", limit, 100, 1, 1000);
        TimeRange range = TimeRange.parse(from, to, DEFAULT_RANGE);
        String env = QueryParams.optional(environment);
        return new DependencyList(p.slug(), service, env, range.from(), range.to(),
                dependencies.dependencies(p.id(), service, env, rollup.window(range), n));
    }

    @GET
    @Path("{service}/transactions/series")
    @Operation(summary = "Time series of one transaction group", description = "Count, throughput, failure rate, "
            + "average and p50/p95/p99 (merged duration histograms) per interval. The range is widened to whole "
            + "intervals.")
    public TransactionSeries series(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("project") String project, @PathParam("service") String service,
            @Parameter(description = "transaction name, e.g. GET /orders", required = true) @QueryParam("name") String name,
            @QueryParam("type") String type, @QueryParam("environment") String environment,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "1m, 5m, 1h, 1d, …; default chosen from the range") @QueryParam("interval") String interval)
            throws SQLException {
        ApiAuth.Project p = auth.readableProject(authorization, project);
        String txName = QueryParams.optional(name);
        if (txName == null) {
            throw ApiProblem.badRequest("name", "is required");
        }
        Buckets buckets = Buckets.of(TimeRange.parse(from, to, DEFAULT_RANGE), interval);
        GroupFilter filter = new GroupFilter(service, QueryParams.optional(environment), QueryParams.optional(type), txName);
        Map<Instant, Totals> totals = metrics.series(p.id(), filter, buckets, rollup.rolledThrough());
        double minutesPerBucket = buckets.interval().toSeconds() / 60.0;
        List<SeriesPoint> points = new ArrayList<>(buckets.points());
        for (int i = 0; i < buckets.points(); i++) {
            Instant t = buckets.bucket(i);
            Totals b = Objects.requireNonNullElse(totals.get(t), Totals.EMPTY);
            boolean any = b.count() > 0;
            points.add(new SeriesPoint(t, b.count(), b.count() / minutesPerBucket,
                    any ? b.failureCount() / b.count() : null, any ? b.sumUs() / b.count() : null, b.latency().p50Us(), b.latency().p95Us(),
                    b.latency().p99Us()));
        }
        return new TransactionSeries(service, filter.environment(), filter.type(), txName, buckets.from(), buckets.to(),
                buckets.intervalText(), points);
    }
}
