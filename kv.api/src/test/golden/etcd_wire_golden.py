#!/usr/bin/env python3
"""Writes the wire shape of etcd 3.5's client API, one fact per line, from etcd's own .proto files.

The input is etcd 3.4.23 as packaged by Debian (the only etcd source on the build machines) plus the
handful of 3.5 additions listed in ADDITIONS_3_5 below. The output is compared by
kv.api's GoldenWireTest with the same description computed from kv's generated Java descriptors,
so kv's .proto files cannot drift from etcd's: the golden is derived from etcd, never from kv.

Usage: etcd_wire_golden.py [ETCD_SRC_DIR] > ../resources/etcd-3.5-wire.golden

Line format (sorted, so declaration order does not matter; it does not on the wire either):
  service <pkg.Service>
  method <pkg.Service>/<Method> in=<pkg.Msg> out=<pkg.Msg> client_streaming=<bool> server_streaming=<bool>
  message <pkg.Msg>
  field <pkg.Msg>.<name> number=<n> label=<optional|repeated> type=<scalar|message:pkg.X|enum:pkg.Y> [oneof=<name>]
  enum <pkg.Enum>
  value <pkg.Enum>.<NAME> number=<n>
"""
import os
import re
import sys

ETCD_SRC = "/usr/share/gocode/src/go.etcd.io/etcd"

# The five files of the client contract, relative to the etcd source tree.
FILES = [
    "mvcc/mvccpb/kv.proto",
    "auth/authpb/auth.proto",
    "etcdserver/etcdserverpb/rpc.proto",
    "etcdserver/api/v3lock/v3lockpb/v3lock.proto",
    "etcdserver/api/v3election/v3electionpb/v3election.proto",
]

# What etcd 3.5 added to etcdserverpb over 3.4.23, taken from the etcd_version_* annotations of
# etcd's api/etcdserverpb/rpc.proto (everything marked "3.5"; everything marked "3.6" is left out:
# HashKVResponse.hash_revision, SnapshotResponse.version, StatusResponse.storageVersion /
# dbSizeQuota / downgradeInfo, DowngradeInfo, DowngradeVersionTestRequest).
# Written in proto syntax and merged into the parsed 3.4 definitions: a service or message that
# already exists gains the listed members, a new one is added. mvccpb, authpb, v3lockpb and
# v3electionpb did not change between 3.4 and 3.5.
ADDITIONS_3_5 = """
package etcdserverpb;
service Maintenance {
  rpc Downgrade(DowngradeRequest) returns (DowngradeResponse);   // new RPC
}
service Auth {
  rpc AuthStatus(AuthStatusRequest) returns (AuthStatusResponse); // new RPC
}
message MemberListRequest { bool linearizable = 1; }             // new field
message AuthUserAddRequest { string hashedPassword = 4; }         // new field
message AuthUserChangePasswordRequest { string hashedPassword = 3; } // new field
message DowngradeRequest {                                        // new message
  enum DowngradeAction { VALIDATE = 0; ENABLE = 1; CANCEL = 2; }
  DowngradeAction action = 1;
  string version = 2;
}
message DowngradeResponse { ResponseHeader header = 1; string version = 2; }
message AuthStatusRequest {}
message AuthStatusResponse { ResponseHeader header = 1; bool enabled = 2; uint64 authRevision = 3; }
"""

SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
           "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes"}

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|-?\d+|[{}()\[\];=<>,]')


def tokens(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return TOKEN.findall(text)


class Parser:
    """A recursive-descent reader for the regular subset of proto3 that etcd uses."""

    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, tok):
        got = self.next()
        if got != tok:
            raise SyntaxError(f"expected {tok!r}, got {got!r} at token {self.i}")

    def skip_statement(self):
        """Skips up to and including ';', or a balanced {...} block (option values, rpc bodies)."""
        depth = 0
        while True:
            tok = self.next()
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                if depth == 0:
                    if self.peek() == ";":
                        self.next()
                    return
            elif tok == ";" and depth == 0:
                return

    def skip_brackets(self):
        depth = 0
        while True:
            tok = self.next()
            depth += tok == "["
            depth -= tok == "]"
            if depth == 0:
                return

    def file(self):
        out = {"package": None, "services": {}, "messages": {}, "enums": {}}
        while self.peek() is not None:
            tok = self.next()
            if tok == "package":
                out["package"] = self.next()
                self.expect(";")
            elif tok in ("syntax", "import", "option"):
                self.skip_statement()
            elif tok == "service":
                name = self.next()
                out["services"][name] = self.service()
            elif tok == "message":
                name = self.next()
                out["messages"][name] = self.message()
            elif tok == "enum":
                name = self.next()
                out["enums"][name] = self.enum()
            elif tok == ";":
                continue
            else:
                raise SyntaxError(f"unexpected {tok!r} at top level")
        return out

    def service(self):
        methods = {}
        self.expect("{")
        while self.peek() != "}":
            tok = self.next()
            if tok == "option":
                self.skip_statement()
                continue
            if tok != "rpc":
                raise SyntaxError(f"unexpected {tok!r} in service")
            name = self.next()
            cs, req = self.rpc_type()
            self.expect("returns")
            ss, resp = self.rpc_type()
            methods[name] = (req, resp, cs, ss)
            if self.peek() == ";":
                self.next()
            else:
                self.skip_statement()  # { option (google.api.http) = {...}; }
        self.next()
        return methods

    def rpc_type(self):
        self.expect("(")
        streaming = self.peek() == "stream"
        if streaming:
            self.next()
        name = self.next()
        self.expect(")")
        return streaming, name

    def message(self):
        msg = {"fields": [], "messages": {}, "enums": {}}
        self.expect("{")
        self.members(msg, oneof=None)
        if self.peek() == ";":
            self.next()
        return msg

    def members(self, msg, oneof):
        while self.peek() != "}":
            tok = self.next()
            if tok == "option" or tok == "reserved":
                self.skip_statement()
            elif tok == "message":
                name = self.next()
                msg["messages"][name] = self.message()
            elif tok == "enum":
                name = self.next()
                msg["enums"][name] = self.enum()
            elif tok == "oneof":
                name = self.next()
                self.expect("{")
                self.members(msg, oneof=name)
            elif tok == ";":
                continue
            else:
                label = "optional"
                if tok == "repeated":
                    label, tok = "repeated", self.next()
                if tok == "map":
                    raise SyntaxError("map fields are not used by etcd's client API")
                name = self.next()
                self.expect("=")
                number = int(self.next())
                if self.peek() == "[":
                    self.skip_brackets()
                self.expect(";")
                msg["fields"].append({"name": name, "number": number, "label": label,
                                      "type": tok, "oneof": oneof})
        self.next()

    def enum(self):
        values = []
        self.expect("{")
        while self.peek() != "}":
            tok = self.next()
            if tok in ("option", "reserved"):
                self.skip_statement()
                continue
            if tok == ";":
                continue
            self.expect("=")
            number = int(self.next())
            if self.peek() == "[":
                self.skip_brackets()
            self.expect(";")
            values.append((tok, number))
        self.next()
        if self.peek() == ";":
            self.next()
        return values


def merge(base, extra):
    """Adds the services, methods, messages and fields of `extra` to `base` (same package)."""
    assert base["package"] == extra["package"]
    for name, methods in extra["services"].items():
        target = base["services"].setdefault(name, {})
        for m, sig in methods.items():
            assert m not in target, f"{name}.{m} already in 3.4"
            target[m] = sig
    for name, msg in extra["messages"].items():
        target = base["messages"].get(name)
        if target is None:
            base["messages"][name] = msg
            continue
        known = {f["name"] for f in target["fields"]} | {f["number"] for f in target["fields"]}
        for f in msg["fields"]:
            assert f["name"] not in known and f["number"] not in known, f"{name}.{f['name']} clashes"
            target["fields"].append(f)
        assert not msg["messages"] and not msg["enums"], "nested additions to existing messages unsupported"
    for name, values in extra["enums"].items():
        assert name not in base["enums"], f"enum {name} already in 3.4"
        base["enums"][name] = values


class Symbols:
    """Full names of all messages and enums, to resolve a type reference the way protoc does."""

    def __init__(self, files):
        self.kinds = {}
        for f in files:
            self.add(f["package"], f)

    def add(self, scope, container):
        for name, msg in container["messages"].items():
            self.kinds[f"{scope}.{name}"] = "message"
            self.add(f"{scope}.{name}", msg)
        for name in container["enums"]:
            self.kinds[f"{scope}.{name}"] = "enum"

    def resolve(self, ref, scope):
        """Innermost scope first, then outward, as protoc does; `ref` may be package-qualified."""
        if ref.startswith("."):
            return ref[1:]
        parts = scope.split(".")
        while True:
            candidate = ".".join(parts + [ref])
            if candidate in self.kinds:
                return candidate
            if not parts:
                raise KeyError(f"cannot resolve {ref} from {scope}")
            parts.pop()


def describe(files):
    syms = Symbols(files)
    lines = []
    for f in files:
        pkg = f["package"]
        for sname, methods in f["services"].items():
            lines.append(f"service {pkg}.{sname}")
            for mname, (req, resp, cs, ss) in methods.items():
                lines.append(f"method {pkg}.{sname}/{mname} in={syms.resolve(req, pkg)} "
                             f"out={syms.resolve(resp, pkg)} client_streaming={str(cs).lower()} "
                             f"server_streaming={str(ss).lower()}")
        describe_container(f, pkg, syms, lines)
    return sorted(lines)


def describe_container(container, scope, syms, lines):
    for name, values in container["enums"].items():
        lines.append(f"enum {scope}.{name}")
        for vname, number in values:
            lines.append(f"value {scope}.{name}.{vname} number={number}")
    for name, msg in container["messages"].items():
        full = f"{scope}.{name}"
        lines.append(f"message {full}")
        for fld in msg["fields"]:
            typ = fld["type"]
            if typ not in SCALARS:
                resolved = syms.resolve(typ, full)
                typ = f"{syms.kinds[resolved]}:{resolved}"
            line = f"field {full}.{fld['name']} number={fld['number']} label={fld['label']} type={typ}"
            if fld["oneof"]:
                line += f" oneof={fld['oneof']}"
            lines.append(line)
        describe_container(msg, full, syms, lines)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else ETCD_SRC
    files = []
    for rel in FILES:
        with open(os.path.join(src, rel), encoding="utf-8") as fh:
            files.append(Parser(tokens(fh.read())).file())
    extra = Parser(tokens(ADDITIONS_3_5)).file()
    merge(next(f for f in files if f["package"] == extra["package"]), extra)
    sys.stdout.write("".join(line + "\n" for line in describe(files)))


if __name__ == "__main__":
    main()
