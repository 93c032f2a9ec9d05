package io.viewpush.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who holds a view's lease, as the store knows it: for the message of a push that found the view
 * held by another engine.
 *
 * @param owner     the holding engine's owner name
 * @param host      the host the holder runs on, when the store knows it
 * @param processId the holder's process id, when the store knows it
 * @param since     when the holder took the lease, when the store knows it
 * @param expiresAt when the lease expires unless the holder renews it (a holder that is gone is
 *                  taken over earlier where the store can tell)
 */
public record LeaseHolder(String owner, Optional<String> host, OptionalLong processId, Optional<Instant> since,
                          Instant expiresAt) {
    public LeaseHolder {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(processId, "processId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** @return the holder for people: {@code host h, process 123, since T; its lease expires at T2} */
    public String describe() {
        StringBuilder s = new StringBuilder();
        host.ifPresent(h -> s.append("host ").append(h));
        processId.ifPresent(p -> s.append(s.length() == 0 ? "" : ", ").append("process ").append(p));
        if (s.length() == 0) {
            s.append("engine ").append(owner);
        }
        since.ifPresent(t -> s.append(", since ").append(t));
        return s.append("; its lease expires at ").append(expiresAt).append(" unless renewed").toString();
    }
}
