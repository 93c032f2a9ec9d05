package io.viewpush.app.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts what happened to every row from the two sources of truth: the receiver's log (which rows
 * each request contained and what it was answered) and the table's stamp column.
 *
 * <ul>
 *   <li>delivered: rows in at least one request answered 2xx;</li>
 *   <li>lost: rows inserted but never delivered, plus rows stamped without ever being delivered;</li>
 *   <li>duplicated: rows delivered more than once; max: the most deliveries of one row;</li>
 *   <li>foreign: keys a view's receiver got that are not rows of its table (another view's data);</li>
 *   <li>id mismatches: two requests with the same body but different {@code webhook-id}s, or the same
 *       {@code webhook-id} on different bodies; re-sent: requests whose exact body was sent before.</li>
 * </ul>
 */
final class Ledger {
    private long inserted;
    private long delivered;
    private long stamped;
    private long neverDelivered;
    private long stampedUndelivered;
    private long duplicated;
    private long maxDeliveries;
    private long foreign;
    private long requests;
    private long failedRequests;
    private long resent;
    private long resentSameId;
    private long idMismatches;
    private final List<String> examples = new ArrayList<>();

    /** What the table holds: every row's key, and which rows are stamped. */
    record TableState(long[] keys, Set<Long> stamped) {
    }

    /**
     * Adds one view: its table's rows and the receiver's requests for it.
     *
     * @param view      the view's name (for the examples of what went wrong)
     * @param table     the rows of its table
     * @param exchanges every request the receiver got for this view
     */
    Ledger add(String view, TableState table, List<FaultyReceiver.Exchange> exchanges) {
        Map<Long, Integer> deliveries = new HashMap<>();
        Set<Long> rows = new HashSet<>();
        for (long k : table.keys()) {
            rows.add(k);
        }
        Map<String, Set<String>> idsByBody = new HashMap<>();
        Map<String, Set<String>> bodiesById = new HashMap<>();
        Set<String> seenBodies = new HashSet<>();
        Map<String, String> firstIdOfBody = new HashMap<>();
        for (FaultyReceiver.Exchange x : exchanges) {
            requests++;
            if (!x.delivered()) {
                failedRequests++;
            }
            if (x.sha256() != null) {
                idsByBody.computeIfAbsent(x.sha256(), s -> new HashSet<>()).add(x.webhookId());
                bodiesById.computeIfAbsent(x.webhookId(), s -> new HashSet<>()).add(x.sha256());
                if (!seenBodies.add(x.sha256())) {
                    resent++;
                    if (firstIdOfBody.get(x.sha256()).equals(x.webhookId())) {
                        resentSameId++;
                    }
                } else {
                    firstIdOfBody.put(x.sha256(), x.webhookId());
                }
            }
            if (x.delivered()) {
                for (long k : x.keys()) {
                    deliveries.merge(k, 1, Integer::sum);
                    if (!rows.contains(k)) {
                        foreign++;
                        example(view + ": key " + k + " was delivered but is not a row of the view's table");
                    }
                }
            }
        }
        idsByBody.forEach((body, ids) -> {
            if (ids.size() > 1) {
                idMismatches++;
                example(view + ": one body was sent with " + ids.size() + " webhook-ids " + ids);
            }
        });
        bodiesById.forEach((id, bodies) -> {
            if (bodies.size() > 1) {
                idMismatches++;
                example(view + ": webhook-id " + id + " was used for " + bodies.size() + " different bodies");
            }
        });
        inserted += rows.size();
        stamped += table.stamped().size();
        for (long k : table.keys()) {
            int n = deliveries.getOrDefault(k, 0);
            if (n == 0) {
                neverDelivered++;
                example(view + ": row " + k + " was never delivered");
            } else {
                delivered++;
            }
            if (n > 1) {
                duplicated++;
            }
            maxDeliveries = Math.max(maxDeliveries, n);
        }
        for (Long k : table.stamped()) {
            if (deliveries.getOrDefault(k, 0) == 0) {
                stampedUndelivered++;
                example(view + ": row " + k + " is stamped but no request containing it was answered 2xx");
            }
        }
        return this;
    }

    private void example(String s) {
        if (examples.size() < 20) {
            examples.add(s);
        }
    }

    long inserted() {
        return inserted;
    }

    long delivered() {
        return delivered;
    }

    long stamped() {
        return stamped;
    }

    long lost() {
        return neverDelivered + stampedUndelivered;
    }

    long duplicated() {
        return duplicated;
    }

    long maxDeliveries() {
        return maxDeliveries;
    }

    long foreign() {
        return foreign;
    }

    long requests() {
        return requests;
    }

    long failedRequests() {
        return failedRequests;
    }

    long resent() {
        return resent;
    }

    long resentSameId() {
        return resentSameId;
    }

    long idMismatches() {
        return idMismatches;
    }

    /** @return up to 20 examples of what went wrong, for the assertion message */
    List<String> problems() {
        return List.copyOf(examples);
    }

    @Override
    public String toString() {
        return "inserted " + inserted + ", delivered " + delivered + ", stamped " + stamped + ", lost " + lost()
                + " (never delivered " + neverDelivered + ", stamped undelivered " + stampedUndelivered
                + "), duplicated " + duplicated + ", max " + maxDeliveries + ", foreign " + foreign
                + ", requests " + requests + " (" + failedRequests + " not 2xx), re-sent " + resent + " ("
                + resentSameId + " same id), id mismatches " + idMismatches
                + (examples.isEmpty() ? "" : "\n  " + String.join("\n  ", examples));
    }
}
