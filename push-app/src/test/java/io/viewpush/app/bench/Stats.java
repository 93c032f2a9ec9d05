package io.viewpush.app.bench;

import java.util.Arrays;
import java.util.List;

/** Summary of a sample: mean and nearest-rank percentiles. */
record Stats(int count, double mean, double p50, double p95, double p99, double max) {

    static Stats of(double[] values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new Stats(v.length, Arrays.stream(v).average().orElseThrow(), rank(v, 50), rank(v, 95), rank(v, 99),
                v[v.length - 1]);
    }

    static Stats of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Nearest-rank percentile of sorted values. */
    private static double rank(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The median of a few repetitions. */
    static double median(List<Double> values) {
        return of(values).p50();
    }
}
