package dev.beatline.query.transactions;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Orders of a transaction list; each ORDER BY is a constant (never client input). */
public enum TransactionSort {
    IMPACT("impact", "SUM(sum_us) DESC"),
    THROUGHPUT("throughput", "SUM(count) DESC"),
    FAILURE_RATE("failure_rate", "SUM(failure_count) / NULLIF(SUM(count), 0) DESC NULLS LAST"),
    AVERAGE("average", "SUM(sum_us) / NULLIF(SUM(count), 0) DESC NULLS LAST"),
    NAME("name", "transaction_name ASC");

    public static final Set<String> PARAMS = Arrays.stream(values()).map(s -> s.param).collect(Collectors.toSet());

    final String param;
    final String orderBy;

    TransactionSort(String param, String orderBy) {
        this.param = param;
        this.orderBy = orderBy;
    }

    static TransactionSort ofParam(String param) {
        return Arrays.stream(values()).filter(s -> s.param.equals(param)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(param));
    }
}
