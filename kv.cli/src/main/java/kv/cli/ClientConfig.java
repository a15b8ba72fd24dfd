package kv.cli;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the cluster: endpoints ({@code host:port} or {@code http(s)://host:port}), timeouts,
 * TLS files and credentials. Immutable; validates itself.
 */
record ClientConfig(List<String> endpoints, Duration dialTimeout, Duration commandTimeout, Duration keepAliveTime,
                    Duration keepAliveTimeout, Optional<String> caCert, Optional<String> cert, Optional<String> key,
                    boolean insecureSkipVerify, boolean insecureTransport, Optional<Credentials> credentials) {

    /** A user name and password for {@code Auth/Authenticate}. */
    record Credentials(String user, String password) {
        Credentials {
            Objects.requireNonNull(user);
            Objects.requireNonNull(password);
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    ClientConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw CliException.badArgs("no endpoints given");
        }
        Objects.requireNonNull(credentials);
    }

    /** This configuration for one endpoint only (endpoint health/status/hashkv and defrag ask each member). */
    ClientConfig forEndpoint(String endpoint) {
        return new ClientConfig(List.of(endpoint), dialTimeout, commandTimeout, keepAliveTime, keepAliveTimeout, caCert, cert, key,
                insecureSkipVerify, insecureTransport, credentials);
    }

    /**
     * Whether {@code --insecure-skip-tls-verify} takes effect: as in etcdctl 3.4, only with a TLS file
     * or {@code --insecure-transport=false}; an https endpoint alone still verifies the server.
     */
    boolean skipsVerification() {
        return insecureSkipVerify && (caCert.isPresent() || cert.isPresent() || key.isPresent() || !insecureTransport);
    }

    /** Whether to speak TLS: any TLS file, an https endpoint, or {@code --insecure-transport=false}. */
    boolean tls() {
        return caCert.isPresent() || cert.isPresent() || key.isPresent() || !insecureTransport
                || endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    }
}
