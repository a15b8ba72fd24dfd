package kv.peer;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One member of the cluster as the Members RPC reports it (etcd's {@code GET /members} entry).
 * An immutable value; the id is unsigned 64-bit.
 *
 * @param id         the member id
 * @param name       the member's name, empty for a member added but not yet started
 * @param peerUrls   the URLs other members reach it on
 * @param clientUrls the URLs clients reach it on (empty until it has started)
 * @param isLearner  whether it is a non-voting learner
 */
public record PeerMember(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean isLearner) {
    public PeerMember {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
