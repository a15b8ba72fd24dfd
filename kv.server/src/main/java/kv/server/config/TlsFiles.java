package kv.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS material for one listener (client or peer): certificate and key, and the CA that client
 * certificates must chain to when {@code clientCertAuth} is set. Absent cert means plain text.
 */
public record TlsFiles(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> trustedCaFile, boolean clientCertAuth) {
    public TlsFiles {
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new ConfigException("TLS needs both a cert file and a key file (got only "
                    + (certFile.isPresent() ? "the cert file" : "the key file") + ")");
        }
        if (clientCertAuth && trustedCaFile.isEmpty()) {
            throw new ConfigException("client cert auth needs a trusted CA file");
        }
    }

    public boolean enabled() {
        return certFile.isPresent();
    }

    static TlsFiles of(String cert, String key, String ca, boolean clientCertAuth) {
        return new TlsFiles(path(cert), path(key), path(ca), clientCertAuth);
    }

    private static Optional<Path> path(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(Path.of(s));
    }
}
