package kv.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import kv.api.etcdserverpb.PutRequest;
import kv.api.etcdserverpb.RangeResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.mvccpb.KeyValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protobuf work gRPC does per call on the KV service: parse a PutRequest (16-byte key,
 * 256-byte value) and serialize it, and parse and serialize a RangeResponse holding {@code kvs}
 * key-values (1 = a point get, 100 = a prefix read).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ProtoBench {
    /** A put as a client sends it. */
    @State(Scope.Thread)
    public static class Put {
        PutRequest request;
        byte[] wire;

        @Setup(Level.Trial)
        public void build() {
            request = PutRequest.newBuilder().setKey(ByteString.copyFrom(Keys.key(12345)))
                    .setValue(ByteString.copyFrom(Keys.value(1))).setLease(0x1234_5678L).build();
            wire = request.toByteArray();
        }
    }

    /** A range answer of {@code kvs} key-values as the server sends it. */
    @State(Scope.Thread)
    public static class Range {
        @Param({"1", "100"})
        public int kvs;

        RangeResponse response;
        byte[] wire;

        @Setup(Level.Trial)
        public void build() {
            RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder()
                    .setClusterId(0x0123_4567_89ABL).setMemberId(0x7654_3210L).setRevision(1_000_000).setRaftTerm(7));
            ByteString value = ByteString.copyFrom(Keys.value(2));
            for (int i = 0; i < kvs; i++) {
                b.addKvs(KeyValue.newBuilder()
                        .setKey(ByteString.copyFrom(String.format("app/config/%08d", i), StandardCharsets.US_ASCII))
                        .setValue(value).setCreateRevision(1_000 + i).setModRevision(900_000 + i).setVersion(3));
            }
            response = b.setCount(kvs).build();
            wire = response.toByteArray();
        }
    }

    @Benchmark
    public PutRequest putRequestDecode(Put s) throws InvalidProtocolBufferException {
        return PutRequest.parseFrom(s.wire);
    }

    @Benchmark
    public byte[] putRequestEncode(Put s) {
        return s.request.toByteArray();
    }

    @Benchmark
    public RangeResponse rangeResponseDecode(Range s) throws InvalidProtocolBufferException {
        return RangeResponse.parseFrom(s.wire);
    }

    @Benchmark
    public byte[] rangeResponseEncode(Range s) {
        return s.response.toByteArray();
    }
}
