package dev.beatline.model;

import java.util.List;

/** One metric sample: a single {@code value}, or a histogram of {@code values} with {@code counts}. */
public record MetricSample(String type, String unit, Double value, List<Double> values, List<Long> counts) {
}
