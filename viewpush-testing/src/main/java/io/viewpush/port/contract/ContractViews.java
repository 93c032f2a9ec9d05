package io.viewpush.port.contract;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.ViewDefinition;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table and the three seed set-ups (modified since pushed, never pushed, not yet confirmed)
 * that the store contract suites use.
 */
public final class ContractViews {
    /** The contract suites' table. */
    public static final String TABLE = "contract_orders";
    /** Its columns: every value type, timestamps at microsecond precision. */
    public static final List<TestColumn> COLUMNS = List.of(
            TestColumn.of("id", ValueType.NUMBER),
            TestColumn.of("customer", ValueType.TEXT),
            TestColumn.of("amount", ValueType.NUMBER),
            TestColumn.of("last_modified", ValueType.TIMESTAMP),
            TestColumn.of("last_pushed", ValueType.TIMESTAMP),
            TestColumn.of("receipt_id", ValueType.TEXT),
            TestColumn.of("flag", ValueType.BOOLEAN),
            TestColumn.of("due", ValueType.DATE));

    private ContractViews() {
    }

    /** @return a policy stamping {@code last pushed}, no minimum interval (the store suites never send) */
    public static PushPolicy.Builder policy() {
        return PushPolicy.builder("last pushed").minInterval(Duration.ZERO);
    }

    /** Set-up 1: {@code needs pushing = {last modified [auto]} > {last pushed}}, with the optimistic check. */
    public static ViewDefinition modifiedSincePushed() {
        return base("orders to push")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(policy().modifiedField("last modified [auto]").build())
                .build();
    }

    /** Set-up 2: {@code {last pushed} is empty}, no modified field. */
    public static ViewDefinition neverPushed() {
        return base("new orders").filter("{last pushed} is empty").push(policy().build()).build();
    }

    /** Set-up 3: {@code {receipt id} is empty}, {@code receipt id} writable, pull only. */
    public static ViewDefinition notConfirmed() {
        return base("unconfirmed orders").filter("{receipt id} is empty").writable("receipt id").build();
    }

    /** @return the fields of the table under the names the views use, in order */
    public static ViewDefinition.Builder base(String name) {
        return ViewDefinition.builder(name, TABLE)
                .key("id")
                .field("id", "id")
                .field("customer", "customer")
                .field("amount", "amount")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .field("receipt id", "receipt_id")
                .field("flag", "flag")
                .field("due", "due");
    }

    /** @return a row: id, customer, amount, last_modified; the rest empty */
    public static Map<String, Object> order(int id, String customer, String amount, LocalDateTime lastModified) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", BigDecimal.valueOf(id));
        m.put("customer", customer);
        m.put("amount", amount == null ? null : new BigDecimal(amount));
        m.put("last_modified", lastModified);
        m.put("due", LocalDate.of(2024, 1, 1).plusDays(id));
        return m;
    }

    /** @return {@code BigDecimal.valueOf(id)} */
    public static BigDecimal key(int id) {
        return BigDecimal.valueOf(id);
    }
}
