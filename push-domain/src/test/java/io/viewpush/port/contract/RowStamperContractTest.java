package io.viewpush.port.contract;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract of {@link io.viewpush.port.RowStamper}: every store passes it. */
public abstract class RowStamperContractTest extends StoreContractSupport {

    @Test
    void stampsOnlyTheRowsThatWereAdded() {
        for (int id = 1; id <= 4; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.modifiedSincePushed());
        List<Row> rows = read(view);
        StampResult result;
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            batch.add(rows.get(0));
            batch.add(rows.get(2));
            result = batch.commit();
        }
        assertThat(result).isEqualTo(new StampResult(2, 0));
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNotNull();
        assertThat(tables.row(ContractViews.TABLE, key(2)).get("last_pushed")).isNull();
        assertThat(tables.row(ContractViews.TABLE, key(3)).get("last_pushed")).isNotNull();
        assertThat(keys(read(view))).containsExactly(2, 4);
    }

    @Test
    void aRowChangedAfterItWasReadIsNotStampedAndStillNeedsPushing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.insert(ContractViews.TABLE, order(2, "b", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            read(view).forEach(batch::add);
            tables.update(ContractViews.TABLE, key(2), Map.of("customer", "b2"));
            tables.touch(ContractViews.TABLE, key(2), "last_modified");
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 1));
        }
        assertThat(keys(read(view))).containsExactly(2);
        assertThat(read(view).get(0).get("customer")).isEqualTo("b2");
    }

    @Test
    void aRowTouchedRightAfterTheStampNeedsPushingAgain() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            read(view).forEach(batch::add);
            assertThat(batch.commit().stamped()).isEqualTo(1);
        }
        assertThat(read(view)).isEmpty();
        tables.touch(ContractViews.TABLE, key(1), "last_modified");
        assertThat(keys(read(view))).containsExactly(1);
    }

    @Test
    void withoutAModifiedFieldAChangeAfterTheReadBeganIsNotLost() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        ViewDefinition def = ContractViews.base("modified since pushed, no optimistic check")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(ContractViews.policy().build())
                .build();
        View view = bind(def);
        LeaseToken token = lease(view);
        try (RowCursor cursor = store.open(view, now(), Page.ALL)) {
            sleepAMillisecond();
            tables.touch(ContractViews.TABLE, key(1), "last_modified");
            sleepAMillisecond();
            try (StampBatch batch = store.begin(view, now(), token)) {
                cursor.forEachRemaining(batch::add);
                assertThat(batch.commit().stamped()).isEqualTo(1);
            }
        }
        assertThat(keys(read(view))).as("the change made after the read began still needs pushing").containsExactly(1);
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void withoutAModifiedFieldEverySentRowIsStamped() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            read(view).forEach(batch::add);
            tables.update(ContractViews.TABLE, key(1), Map.of("customer", "changed"));
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 0));
        }
        assertThat(read(view)).isEmpty();
    }

    @Test
    void aBatchClosedWithoutCommitStampsNothing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            read(view).forEach(batch::add);
        }
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNull();
        assertThat(keys(read(view))).containsExactly(1);
    }

    @Test
    void aDeletedRowIsSkipped() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.insert(ContractViews.TABLE, order(2, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        StampResult result;
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            read(view).forEach(batch::add);
            tables.delete(ContractViews.TABLE, key(2));
            result = batch.commit();
        }
        assertThat(result).isEqualTo(new StampResult(1, 1));
    }

    @Test
    void anEmptyBatchStampsNothing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        try (StampBatch batch = store.begin(view, now(), lease(view))) {
            assertThat(batch.commit()).isEqualTo(StampResult.NONE);
        }
    }

    @Test
    void aLostLeaseRefusesTheStamp() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        LeaseToken token = lease(view);
        try (StampBatch batch = store.begin(view, now(), token)) {
            read(view).forEach(batch::add);
            store.release(token);
            LeaseToken other = store.tryAcquire(view.name(), "another engine", Duration.ofMinutes(1)).orElseThrow();
            assertThat(other.fence()).isGreaterThan(token.fence());
            assertThatThrownBy(batch::commit).isInstanceOf(LeaseLostException.class);
        }
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNull();
    }
}
