package io.viewpush.testing;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.PushSession;
import io.viewpush.port.PushStore;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PushStore} that forwards every call to another: a test overrides what it observes or
 * breaks (for example {@link #session} to wrap each push's session in a {@link ForwardingSession}).
 */
public class ForwardingStore implements PushStore {
    private final PushStore delegate;

    /** @param delegate the store every call goes to */
    public ForwardingStore(PushStore delegate) {
        this.delegate = delegate;
    }

    /** @return the session to hand out for one the delegate began; the default returns it as is */
    protected PushSession session(PushSession begun) {
        return begun;
    }

    @Override
    public Optional<PushSession> begin(View view, String owner, Duration ttl, Snapshot snapshot, boolean readAtOnce) {
        return delegate.begin(view, owner, ttl, snapshot, readAtOnce).map(this::session);
    }

    @Override
    public Optional<io.viewpush.port.LeaseHolder> leaseHolder(String view) {
        return delegate.leaseHolder(view);
    }

    @Override
    public java.time.ZoneId sessionZone() {
        return delegate.sessionZone();
    }

    @Override
    public boolean isReachable() {
        return delegate.isReachable();
    }

    @Override
    public Map<String, ValueType> fieldTypes(ViewDefinition definition) {
        return delegate.fieldTypes(definition);
    }

    @Override
    public RowCursor open(View view, Snapshot snapshot, Page page) {
        return delegate.open(view, snapshot, page);
    }

    @Override
    public Optional<Row> update(View view, RowKey key, Map<String, Object> values, Snapshot snapshot) {
        return delegate.update(view, key, values, snapshot);
    }

    @Override
    public PushHistory history(String view) {
        return delegate.history(view);
    }

    @Override
    public List<PushAttempt> recent(String view, int limit) {
        return delegate.recent(view, limit);
    }

    @Override
    public Optional<Pause> paused(String view) {
        return delegate.paused(view);
    }

    @Override
    public Map<String, Pause> pauses() {
        return delegate.pauses();
    }

    @Override
    public Pause pause(Pause pause) {
        return delegate.pause(pause);
    }

    @Override
    public Optional<Pause> resume(String view) {
        return delegate.resume(view);
    }

    @Override
    public List<Replay> replays(String view, int limit) {
        return delegate.replays(view, limit);
    }

    /** A {@link PushSession} that forwards every call to another. */
    public static class ForwardingSession implements PushSession {
        private final PushSession delegate;

        /** @param delegate the session every call goes to */
        public ForwardingSession(PushSession delegate) {
            this.delegate = delegate;
        }

        @Override
        public LeaseToken lease() {
            return delegate.lease();
        }

        @Override
        public PushHistory history() {
            return delegate.history();
        }

        @Override
        public Optional<Pause> paused() {
            return delegate.paused();
        }

        @Override
        public RowCursor rows() {
            return delegate.rows();
        }

        @Override
        public StampBatch batch() {
            return delegate.batch();
        }

        @Override
        public boolean renew() {
            return delegate.renew();
        }

        @Override
        public Replay replay(ReplaySelection which, boolean dryRun, String by) {
            return delegate.replay(which, dryRun, by);
        }

        @Override
        public void finish(PushAttempt attempt) {
            delegate.finish(attempt);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
