package dev.beatline.query.transactions;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Orders of a transaction list. Sums are ordered by PostgreSQL (each ORDER BY is a constant, never client input);
 * p95 needs every group's merged histogram, so it is ordered here after merging ({@link #inSql()} false).
 */
public enum TransactionSort {
    IMPACT("impact", "SUM(sum_us) DESC"),
    THROUGHPUT("throughput", "SUM(count) DESC"),
    FAILURE_RATE("failure_rate", "SUM(failure_count) / NULLIF(SUM(count), 0) DESC NULLS LAST"),
    AVERAGE("average", "SUM(sum_us) / NULLIF(SUM(count), 0) DESC NULLS LAST"),
    P95("p95", null),
    NAME("name", "transaction_name ASC");

    public static final Set<String> PARAMS = Arrays.stream(values()).map(s -> s.param).collect(Collectors.toSet());

    /** Slowest p95 first, groups without durations last, then by dimensions (stable answers). */
    static final Comparator<TransactionGroup> BY_P95 = Comparator
            .comparing((TransactionGroup g) -> g.p95Us() == null ? -1 : g.p95Us(), Comparator.reverseOrder())
            .thenComparing(TransactionGroup::service).thenComparing(TransactionGroup::environment)
            .thenComparing(TransactionGroup::type).thenComparing(TransactionGroup::name);

    final String param;
    final String orderBy;

    TransactionSort(String param, String orderBy) {
        this.param = param;
        this.orderBy = orderBy;
    }

    boolean inSql() {
        return orderBy != null;
    }

    static TransactionSort ofParam(String param) {
        return Arrays.stream(values()).filter(s -> s.param.equals(param)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(param));
    }
}
