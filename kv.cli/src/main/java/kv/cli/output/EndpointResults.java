package kv.cli.output;

import kv.api.etcdserverpb.HashKVResponse;
import kv.api.etcdserverpb.StatusResponse;

/** What {@code endpoint health|status|hashkv} learned about one endpoint; values, immutable. */
public final class EndpointResults {
    private EndpointResults() {}

    /** One endpoint's health probe: {@code took} is Go's duration text, {@code error} empty when healthy. */
    public record Health(String endpoint, boolean health, String took, String error) {}

    /** One endpoint's {@code Maintenance/Status} answer. */
    public record Status(String endpoint, StatusResponse status) {}

    /** One endpoint's {@code Maintenance/HashKV} answer. */
    public record Hash(String endpoint, HashKVResponse hash) {}
}
