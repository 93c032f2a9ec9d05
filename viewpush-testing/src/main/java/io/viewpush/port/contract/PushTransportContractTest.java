package io.viewpush.port.contract;

import io.viewpush.expression.ValueType;
import io.viewpush.port.PushTransport;
import io.viewpush.port.StorageException;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport-neutral contract of {@link PushTransport}: every transport passes it, whatever it
 * sends over. A batch is delivered whole or reported failed; the same batch carries the same id
 * and another batch another id; a failure is a value, not an exception; every row is consumed; a
 * failure of the rows themselves is thrown as it is, and nothing of that batch is taken.
 *
 * <p>Extend it with three hooks: {@link #transport(View)} builds the transport under test for the
 * suite's view, {@link #refuseBatches(boolean)} makes its receiver refuse (a full queue, an error
 * answer, …), and {@link #taken()} tells what the receiver took. The test methods are public, so a
 * subclass may override one to add to it.
 */
public abstract class PushTransportContractTest {
    /** The name of the suite's view. */
    public static final String VIEW_NAME = "contract view";

    /** @return the transport under test, able to push {@code view} (closed after each test) */
    protected abstract PushTransport transport(View view);

    /**
     * Makes the receiver refuse every batch sent from now on ({@code true}), or take them again
     * ({@code false}, the state each test starts in).
     */
    protected abstract void refuseBatches(boolean refuse);

    /**
     * @return every batch the receiver took so far, in order, each as the text of its rows' keys
     *         (the view's {@code id} field: {@code "1"}, {@code "2"}, …) in the order they came
     */
    protected abstract List<List<String>> taken();

    private PushTransport transport;
    private View view;

    @BeforeEach
    public void openTransport() {
        view = view();
        refuseBatches(false);
        transport = transport(view);
    }

    @AfterEach
    public void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    /**
     * @return the suite's view: {@value #VIEW_NAME} on table {@code orders}, key {@code id}
     *         (number), fields {@code customer} (text) and {@code last_pushed} (timestamp, the
     *         stamped field), no filters
     */
    public static View view() {
        ViewDefinition def = ViewDefinition.builder(VIEW_NAME, "orders").key("id").field("id").field("customer")
                .field("last_pushed")
                .push(PushPolicy.builder("last_pushed").build())
                .build();
        return def.bind(Map.of("id", ValueType.NUMBER, "customer", ValueType.TEXT, "last_pushed", ValueType.TIMESTAMP));
    }

    /** @return {@code n} rows of the view, with ids {@code from}, {@code from + 1}, … */
    public static List<Row> rows(View view, int from, int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(Row.of(view.columns(), BigDecimal.valueOf(i), "customer " + i, null));
        }
        return rows;
    }

    /** @return the key texts {@code from}, {@code from + 1}, … as {@link #taken()} reports them */
    protected static List<String> keys(int from, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            keys.add(Integer.toString(i));
        }
        return keys;
    }

    /** @return the transport under test */
    protected PushTransport transport() {
        return transport;
    }

    @Test
    public void deliversEachBatchWholeAndConsumesEveryRow() {
        Iterator<Row> first = rows(view, 1, 25).iterator();
        Delivery d = transport.send(view, first);
        assertThat(d.delivered()).as("delivered: %s", d.reason()).isTrue();
        assertThat(d.rows()).isEqualTo(25);
        assertThat(d.attempts()).isPositive();
        assertThat(first.hasNext()).as("every row consumed").isFalse();
        Iterator<Row> second = rows(view, 26, 3).iterator();
        assertThat(transport.send(view, second).delivered()).isTrue();
        assertThat(second.hasNext()).isFalse();
        assertThat(taken()).containsExactly(keys(1, 25), keys(26, 3));
    }

    @Test
    public void aRefusedBatchIsAFailedDeliveryNotAnException() {
        refuseBatches(true);
        Iterator<Row> it = rows(view, 1, 3).iterator();
        Delivery d = transport.send(view, it);
        assertThat(d.delivered()).isFalse();
        assertThat(d.reason()).isNotBlank();
        assertThat(d.rows()).isEqualTo(3);
        assertThat(d.attempts()).isPositive();
        assertThat(it.hasNext()).as("every row consumed, also when the batch fails").isFalse();
        assertThat(taken()).isEmpty();
    }

    @Test
    public void theSameBatchCarriesTheSameIdAndAnotherBatchAnotherId() {
        refuseBatches(true);
        Delivery first = transport.send(view, rows(view, 1, 3).iterator());
        refuseBatches(false);
        Delivery again = transport.send(view, rows(view, 1, 3).iterator());
        Delivery other = transport.send(view, rows(view, 2, 3).iterator());
        assertThat(again.delivered()).isTrue();
        assertThat(again.webhookId()).isEqualTo(first.webhookId()).isNotBlank();
        assertThat(other.webhookId()).isNotEqualTo(first.webhookId());
        assertThat(taken()).containsExactly(keys(1, 3), keys(2, 3));
    }

    @Test
    public void aFailureOfTheRowsIsThrownAsItIsAndNothingOfTheBatchIsTaken() {
        List<Row> two = rows(view, 1, 2);
        Iterator<Row> failing = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                if (next == two.size()) {
                    throw new StorageException("the database went away mid-batch");
                }
                if (next > two.size()) {
                    throw new NoSuchElementException();
                }
                return two.get(next++);
            }
        };
        assertThatThrownBy(() -> transport.send(view, failing)).isInstanceOf(StorageException.class)
                .hasMessage("the database went away mid-batch");
        assertThat(taken()).isEmpty();
    }
}
