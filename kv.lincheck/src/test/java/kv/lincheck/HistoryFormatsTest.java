package kv.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two recorded formats, and what each result type means. */
class HistoryFormatsTest {

    private static String jepsen(int process, String type, String f, String value) {
        return "INFO  jepsen.util - " + process + "\t:" + type + "\t:" + f + "\t" + value;
    }

    @Test
    void jepsenOkFailAndInfo() {
        var ops = JepsenRegisterLog.parse(List.of(
                jepsen(0, "invoke", "read", "nil"),
                jepsen(1, "invoke", "write", "3"),
                jepsen(2, "invoke", "cas", "[3 4]"),
                jepsen(0, "ok", "read", "nil"),
                jepsen(1, "info", "write", ":timed-out"),
                jepsen(2, "fail", "cas", "[3 4]"),
                "INFO  jepsen.util - 3   :invoke :write  5",
                "INFO  jepsen.util - 3   :fail   :write  5",
                jepsen(4, "invoke", "read", "nil"),
                jepsen(4, "fail", "read", ":timed-out"),
                jepsen(5, "invoke", "cas", "[1 2]"),
                jepsen(5, "ok", "cas", "[1 2]"),
                jepsen(6, "invoke", "read", "nil"),
                jepsen(6, "ok", "read", "4"),
                "INFO  jepsen.core - some other line",
                jepsen(7, "invoke", "write", "1")));
        assertEquals(List.of(
                Operation.completed(0, new RegisterModel.Read(), 0, 3, new RegisterModel.Value(Optional.empty())),
                Operation.pending(1, new RegisterModel.Write("3"), 1),
                Operation.completed(2, new RegisterModel.Cas("3", "4"), 2, 5, new RegisterModel.CasResult(false)),
                Operation.pending(4, new RegisterModel.Read(), 8),
                Operation.completed(5, new RegisterModel.Cas("1", "2"), 10, 11, new RegisterModel.CasResult(true)),
                Operation.completed(6, new RegisterModel.Read(), 12, 13, new RegisterModel.Value(Optional.of("4"))),
                Operation.pending(7, new RegisterModel.Write("1"), 15)), ops, "the failed write (process 3) did not happen");
    }

    @Test
    void jepsenErrorsNameTheLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> JepsenRegisterLog.parse(List.of(jepsen(0, "ok", "read", "1"))));
        assertTrue(e.getMessage().startsWith("line 1: process 0 responds without a call"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JepsenRegisterLog.parse(List.of("", "INFO jepsen.util - 0 :invoke :cas 3")));
        assertTrue(e.getMessage().startsWith("line 2: cas needs [old new]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JepsenRegisterLog.parse(List.of(jepsen(0, "invoke", "read", "nil"), jepsen(0, "invoke", "read", "nil"))));
        assertTrue(e.getMessage().contains("invoked twice"), e.getMessage());
    }

    private static String edn(int process, String type, String f, String key, String value) {
        return "{:process " + process + ", :type :" + type + ", :f :" + f + ", :key \"" + key + "\", :value "
                + (value == null ? "nil" : "\"" + value + "\"") + "}";
    }

    @Test
    void ednKeyValueHistory() {
        var ops = EdnKvLog.parse(List.of(
                edn(0, "invoke", "get", "5", null),
                edn(1, "invoke", "put", "5", "x 1 0 y"),
                edn(0, "ok", "get", "5", ""),
                edn(1, "ok", "put", "5", "x 1 0 y"),
                "",
                edn(0, "invoke", "append", "6", "x 0 1 y"),
                edn(1, "invoke", "get", "6", null),
                edn(1, "ok", "get", "6", "x 0 1 y"),
                edn(2, "invoke", "put", "6", "z"),
                edn(2, "fail", "put", "6", "z"),
                edn(3, "invoke", "append", "6", "w"),
                edn(3, "info", "append", "6", "w")));
        assertEquals(List.of(
                Operation.completed(0, new KvModel.Get("5"), 0, 2, new KvModel.Value(Optional.empty())),
                Operation.completed(1, new KvModel.Put("5", "x 1 0 y"), 1, 3, new KvModel.Revision(0)),
                Operation.pending(0, new KvModel.Append("6", "x 0 1 y"), 5),
                Operation.completed(1, new KvModel.Get("6"), 6, 7, new KvModel.Value(Optional.of("x 0 1 y"))),
                Operation.pending(3, new KvModel.Append("6", "w"), 10)), ops);
    }

    @Test
    void ednErrorsNameTheLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> EdnKvLog.parse(List.of("{:process 0, :type :invoke}")));
        assertTrue(e.getMessage().startsWith("line 1: not a get/put/append operation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EdnKvLog.parse(List.of(edn(0, "invoke", "put", "k", ""))));
        assertTrue(e.getMessage().contains(":put needs a non-empty value"), e.getMessage());
    }
}
