package io.viewpush.push;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A receiver's answer row by row, for a view whose policy asks for it
 * ({@link PushPolicy.ResponseMode#ROWS}): which rows of the batch it accepted, and which it rejected
 * and why. Only accepted rows are stamped; rejected ones, and rows it named neither way, are sent
 * again by a later push.
 *
 * <p>A key is its values in key order, as {@code RowKey.values()} holds them (this package does not
 * depend on the view package, which depends on it).
 *
 * @param accepted the keys of the rows it accepted
 * @param rejected the keys of the rows it rejected, each with its reason (the receiver's words), in
 *                 the answer's order
 */
public record RowAnswers(Set<List<Object>> accepted, Map<List<Object>, String> rejected) {
    public RowAnswers {
        accepted = Set.copyOf(Objects.requireNonNull(accepted, "accepted"));
        rejected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(rejected, "rejected")));
        for (List<Object> k : rejected.keySet()) {
            if (accepted.contains(k)) {
                throw new IllegalArgumentException("the row " + k + " is both accepted and rejected");
            }
        }
    }
}
