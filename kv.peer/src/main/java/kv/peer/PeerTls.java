package kv.peer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * PEM files for the peer URLs, etcd's {@code --peer-cert-file}, {@code --peer-key-file},
 * {@code --peer-trusted-ca-file} and {@code --peer-client-cert-auth}.
 *
 * <p>The same certificate and key serve https peer URLs and are presented to other members when
 * dialing them; the trusted CA verifies other members' server certificates and, with
 * {@code clientCertAuth}, the client certificates of members dialing in. Without a CA the JDK's
 * default trust store verifies server certificates. An immutable value.
 *
 * @param certFile       the member's certificate chain (PEM), required to serve https
 * @param keyFile        the private key of {@code certFile} (PKCS#8 PEM)
 * @param trustedCaFile  the CA bundle other members' certificates must chain to
 * @param clientCertAuth whether members dialing in must present a certificate signed by the CA
 */
public record PeerTls(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> trustedCaFile, boolean clientCertAuth) {
    /** No TLS material: only http peer URLs can be served or dialed. */
    public static final PeerTls NONE = new PeerTls(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public PeerTls {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(trustedCaFile, "trustedCaFile");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("peer TLS needs both a cert file and a key file (got only "
                    + (certFile.isPresent() ? "the cert file" : "the key file") + ")");
        }
        if (clientCertAuth && trustedCaFile.isEmpty()) {
            throw new IllegalArgumentException("peer client cert auth needs a trusted CA file");
        }
    }

    /** Whether this member has a certificate of its own (to serve https and to present as a client). */
    public boolean hasCertificate() {
        return certFile.isPresent();
    }
}
