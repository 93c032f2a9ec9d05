package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.View;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One push of one view on the JDBC store: its lease, its read and the read's start by the
 * database's clock (the base of every batch's stamp, so that a row changed after it was read still
 * compares as changed), and the final record with the release.
 */
final class JdbcPushSession implements PushSession {
    private final DefaultJdbcPushStore store;
    private final View view;
    private final LeaseToken token;
    private final Duration ttl;
    private final Snapshot snapshot;
    /** The read taken with the lease (PostgreSQL, a push that reads at once), until {@link #rows()} hands it out. */
    private DefaultJdbcPushStore.Read preRead;
    private RowCursor cursor;
    /** The view's pause as read with the lease or with {@link #history()}, or null when neither read it. */
    private Optional<Pause> pause;
    private ReadStart readStart;
    private boolean read;
    private boolean finished;
    private boolean closed;

    JdbcPushSession(DefaultJdbcPushStore store, View view, LeaseToken token, Duration ttl, Snapshot snapshot,
                    DefaultJdbcPushStore.Read preRead, Optional<Pause> pause) {
        this.store = store;
        this.view = view;
        this.token = token;
        this.ttl = ttl;
        this.snapshot = snapshot;
        this.preRead = preRead;
        this.pause = pause;
    }

    @Override
    public LeaseToken lease() {
        return token;
    }

    @Override
    public PushHistory history() {
        requireOpen();
        Journal.HistoryAndPause hp = store.historyAndPause(view.name());
        pause = Optional.ofNullable(hp.pause());
        return hp.history();
    }

    @Override
    public Optional<Pause> paused() {
        requireOpen();
        return pause != null ? pause : store.paused(view.name());
    }

    @Override
    public RowCursor rows() {
        requireOpen();
        if (read) {
            throw new IllegalStateException("the read of this push of view '" + view.name() + "' was opened already");
        }
        read = true;
        DefaultJdbcPushStore.Read r = preRead != null ? preRead : store.openRead(view, snapshot, Page.ALL);
        preRead = null;
        cursor = r.cursor();
        readStart = r.start();
        return cursor;
    }

    @Override
    public StampBatch batch() {
        requireOpen();
        if (!read) {
            throw new IllegalStateException("a batch of view '" + view.name() + "' begins after the read (rows())");
        }
        return store.batch(view, token, readStart);
    }

    @Override
    public boolean renew() {
        return store.renew(token, ttl);
    }

    @Override
    public Replay replay(ReplaySelection which, boolean dryRun, String by) {
        Objects.requireNonNull(which, "which");
        Objects.requireNonNull(by, "by");
        requireOpen();
        if (read || finished) {
            throw new IllegalStateException("a replay of view '" + view.name() + "' is instead of a push, not after one");
        }
        return store.replay(view, token, snapshot, which, dryRun, by);
    }

    @Override
    public void finish(PushAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        requireOpen();
        if (finished) {
            throw new IllegalStateException("the push of view '" + view.name() + "' was finished already");
        }
        store.recordAndRelease(attempt, token);
        finished = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (preRead != null) {
            preRead.cursor().close();
        }
        if (cursor != null) {
            cursor.close();
        }
        if (!finished) {
            store.release(token);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the push of view '" + view.name() + "' is closed");
        }
    }
}
