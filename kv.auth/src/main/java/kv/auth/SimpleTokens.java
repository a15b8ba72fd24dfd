package kv.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * etcd's simple tokens: opaque strings {@code <16 random letters>.<raft index>} that the member maps
 * to a user in memory. The proposer draws the random part, the apply of the Authenticate entry appends
 * the index and registers the token, so every member knows every token. A token lives
 * {@code ttl} after it was issued or last used; expiry is checked against the injected clock on use and
 * by {@link #expire()}, never by a thread of its own. Tokens are not persisted: a restarted member
 * forgets them and clients authenticate again, as with etcd.
 *
 * <p>Thread-safe (every method synchronizes on this object).
 */
final class SimpleTokens {
    private static final int RANDOM_LETTERS = 16;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InstantSource clock;
    private final Duration ttl;
    private final Map<String, Entry> tokens = new HashMap<>();

    private record Entry(String user, Instant expiry) {}

    SimpleTokens(InstantSource clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The random part of a new token, drawn on the proposer. */
    static String newPrefix() {
        StringBuilder sb = new StringBuilder(RANDOM_LETTERS);
        for (int i = 0; i < RANDOM_LETTERS; i++) {
            sb.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return sb.toString();
    }

    /** Registers {@code prefix.index} for {@code user} and returns it. */
    synchronized String issue(String prefix, long index, String user) {
        String token = prefix + "." + index;
        tokens.put(token, new Entry(user, clock.instant().plus(ttl)));
        return token;
    }

    /** The user of a live token, refreshing its TTL; {@code null} when unknown or expired. */
    synchronized String use(String token) {
        Entry e = tokens.get(token);
        Instant now = clock.instant();
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.expiry())) {
            tokens.remove(token);
            return null;
        }
        tokens.put(token, new Entry(e.user(), now.plus(ttl)));
        return e.user();
    }

    /** Forgets every token of {@code user} (deleted, or its password changed). */
    synchronized void invalidateUser(String user) {
        tokens.values().removeIf(e -> e.user().equals(user));
    }

    /** Forgets every token (auth disabled, or state replaced by a snapshot). */
    synchronized void clear() {
        tokens.clear();
    }

    /** Drops expired tokens; returns how many. */
    synchronized int expire() {
        Instant now = clock.instant();
        int n = 0;
        for (Iterator<Entry> it = tokens.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expiry())) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    synchronized int size() {
        return tokens.size();
    }
}
