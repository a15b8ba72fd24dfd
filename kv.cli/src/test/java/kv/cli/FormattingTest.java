package kv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import kv.api.etcdserverpb.Compare;
import kv.api.etcdserverpb.PutResponse;
import kv.api.etcdserverpb.ResponseHeader;
import kv.api.etcdserverpb.ResponseOp;
import kv.api.etcdserverpb.TxnResponse;
import kv.api.mvccpb.KeyValue;
import kv.cli.output.GoJson;
import kv.cli.output.GoText;
import kv.cli.output.KeyRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go-compatible text pieces, checked against what Go's standard library prints for the same input. */
class FormattingTest {
    @Test
    void quoteIsGoStrconvQuote() {
        assertEquals("\"va l\\\"x\"", GoText.quote("va l\"x"));
        assertEquals("\"héllo\\tworld\\x01 ✓\"", GoText.quote("héllo\tworld\u0001 ✓"));
        assertEquals("\"\\xff\\x00a\"", GoText.quote(new byte[] {(byte) 0xff, 0, 'a'}));
        assertEquals("\"\\u00a0\\u200b\"", GoText.quote("\u00a0\u200b"));
    }

    @ParameterizedTest
    @CsvSource({"0,0 B", "9,9 B", "20480,20 kB", "1500,1.5 kB", "999999,1000 kB", "16384,16 kB", "2500000,2.5 MB", "25000000,25 MB"})
    void humanBytesIsGoHumanize(long size, String expected) {
        assertEquals(expected, GoText.humanBytes(size));
    }

    @ParameterizedTest
    @CsvSource({"1052294,1.052294ms", "992196,992.196µs", "5001041019,5.001041019s", "0,0s", "500,500ns", "62500000000,1m2.5s",
            "3600000000000,1h0m0s", "2000000,2ms"})
    void durationIsGoDurationString(long nanos, String expected) {
        assertEquals(expected, GoText.duration(Duration.ofNanos(nanos)));
    }

    @ParameterizedTest
    @CsvSource({"2s,2000000000", "500ms,500000000", "1m30s,90000000000", "1.5h,5400000000000", "0,0", "10us,10000",
            ".5s,500000000", "1.s,1000000000", "1.000000001s,1000000001", "0.1ns,0", "2h45m0.5s,9900500000000", "1.0000000000000000000001h,3600000000000"})
    void goDurationParses(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @Test
    void badDurationHasGoMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("abc"));
        assertEquals("time: invalid duration \"abc\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("9223372036854775807h"), "overflow");
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("."));
    }

    @Test
    void jsonIsGoEncodingJsonOfTheGogoStruct() {
        TxnResponse r = TxnResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setClusterId(-1L).setRevision(18))
                .addResponses(ResponseOp.newBuilder().setResponsePut(PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(18))
                        .setPrevKv(KeyValue.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("a<b")).setVersion(1))))
                .build();
        assertEquals("{\"header\":{\"cluster_id\":18446744073709551615,\"revision\":18},\"responses\":[{\"Response\":{\"ResponsePut\":"
                + "{\"header\":{\"revision\":18},\"prev_kv\":{\"key\":\"YTxi\",\"version\":1}}}}]}", GoJson.of(r));
    }

    @Test
    void prefixEndIncrementsTheLastByteBelowFf() {
        assertEquals("fop", new String(KeyRanges.prefixEnd("foo".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        assertEquals(List.of((byte) 'b'), List.of(KeyRanges.prefixEnd(new byte[] {'a', (byte) 0xff})[0]));
        assertEquals(0, KeyRanges.prefixEnd(new byte[] {(byte) 0xff})[0]);
    }

    @Test
    void compareLinesParseAsEtcdctlParsesThem() {
        Compare c = TxnCommand.parseCompare("mod(\"k\\n1\") > \"12\"");
        assertEquals(Compare.CompareTarget.MOD, c.getTarget());
        assertEquals(Compare.CompareResult.GREATER, c.getResult());
        assertEquals("k\n1", c.getKey().toStringUtf8());
        assertEquals(12, c.getModRevision());
        Compare v = TxnCommand.parseCompare("val(\"k\") != \"a b\"");
        assertEquals("a b", v.getValue().toStringUtf8());
        CliException bad = assertThrows(CliException.class, () -> TxnCommand.parseCompare("bad"));
        assertEquals(ExitCode.INVALID_INPUT, bad.exitCode());
        assertEquals("malformed comparison: bad", bad.getMessage());
    }

    @Test
    void requestLinesSplitAsEtcdctlArgify() {
        assertEquals(List.of("put", "k", "a b\n", "c d"), GoQuoted.words("put k \"a b\\n\" 'c d'"));
    }

    @Test
    void exitCodesAreEtcdctls() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 128), java.util.Arrays.stream(ExitCode.values()).map(ExitCode::status).toList());
    }
}
