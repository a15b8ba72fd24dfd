package kv.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this kv build and the etcd API level it speaks.
 *
 * <p>{@link #KV} comes from the build (a resource filtered by Maven); {@link #ETCD_API} is the etcd
 * cluster API version kv implements, reported where etcd reports its own.
 */
public final class KvVersion {
    /** kv's own version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static final String KV = load();
    /** The etcd API level kv is wire-compatible with. */
    public static final String ETCD_API = "3.5";
    /** The etcd server version kv reports to etcd clients (they gate features on it). */
    public static final String ETCD_SERVER = "3.5.0";

    private KvVersion() {}

    private static String load() {
        try (InputStream in = KvVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("kv/api/version.properties is missing from the kv.api jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
