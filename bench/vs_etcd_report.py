#!/usr/bin/env python3
"""Parser and table renderer for bench/vs-etcd.sh (no third-party modules).

  vs_etcd_report.py summary FILE      -> one line per "Summary:" block in an etcd `benchmark`
                                         output: "QPS P50_SECS P99_SECS FAILED_REQUESTS" (or nothing)
  vs_etcd_report.py checkperf FILE    -> "VERDICT|WPS|SLOWEST_SECS|STDDEV_SECS|ERRORS"
                                         from `etcdctl check perf` output ('-' when missing)
  vs_etcd_report.py table RESULTS.tsv -> the plain and markdown tables on stdout
  vs_etcd_report.py leader N          -> reads `etcdctl -w json endpoint status` on stdin; prints the
                                         leader id (hex) and exits 0 when N members answered and all
                                         name the same non-zero leader, else exits 1

RESULTS.tsv rows (tab separated, written by vs-etcd.sh):
  meta   members  -        ok     N                   (members per target; 1 when absent)
  bench  WORKLOAD TARGET STATUS QPS P50 P99 ERRORS     (STATUS: ok | timeout | error(rc) | noparse)
  rss    -        TARGET STATUS KIB [KIB_M1,KIB_M2,..] (KIB: summed over the members)
  perf   LOAD     TARGET STATUS VERDICT WPS SLOWEST STDDEV DISTINCT_ERRORS
  goal   WORKLOAD -        ok     RATIO               (kv/etcd QPS the workload should reach)
  ref    WORKLOAD etcd     ok     QPS                 (etcd's reference figure, measured earlier)
"""
import json
import re
import sys

NUM = r"([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"


def parse_summaries(text):
    """Each benchmark "Summary:" block gives (qps, p50, p99, errors); missing figures are None."""
    out = []
    for block in re.split(r"^\s*Summary:\s*$", text, flags=re.M)[1:]:
        qps = re.search(r"Requests/sec:\s*" + NUM, block)
        p50 = re.search(r"^\s*50% in " + NUM + " secs", block, flags=re.M)
        p99 = re.search(r"^\s*99% in " + NUM + " secs", block, flags=re.M)
        errors = sum(int(n) for n in re.findall(r"^\s*\[([0-9]+)\]\s+\S.*error", block, flags=re.M | re.I))
        out.append(tuple(float(m.group(1)) if m else None for m in (qps, p50, p99)) + (errors,))
    return out


def parse_checkperf(text):
    wps = re.search(r"Throughput (?:is|too low:) ([0-9]+) writes/s", text)
    slow = re.search(r"Slowest request took (?:too long: )?" + NUM + "s", text)
    std = re.search(r"Stddev (?:is|too high:) " + NUM + "s", text)
    verdict = "-"
    for line in text.splitlines():
        if line.strip() in ("PASS", "FAIL"):
            verdict = line.strip()
    errors = len(re.findall(r"^FAIL: ERROR\(", text, flags=re.M))
    return [verdict] + [m.group(1) if m else "-" for m in (wps, slow, std)] + [str(errors)]


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().replace("\r", "\n")


def fmt_qps(v):
    return "-" if v is None else f"{v:,.0f}"


def fmt_ms(secs):
    if secs is None:
        return "-"
    ms = secs * 1000.0
    if ms < 1:
        return f"{ms:.4f}" if ms < 0.1 else f"{ms:.3f}"
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def load(path):
    """The rows of RESULTS.tsv by kind; "extra" holds members, goals and reference figures."""
    bench, rss, perf, workloads, targets = {}, {}, {}, [], []
    extra = {"members": 1, "goal": {}, "ref": {}}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            row = raw.rstrip("\n").split("\t")
            kind, key, target, status = row[0], row[1], row[2], row[3]
            if kind == "meta":
                if key == "members":
                    extra["members"] = int(row[4])
                continue
            if kind in ("goal", "ref"):
                extra[kind][key] = num(row[4])
                continue
            if target not in targets:
                targets.append(target)
            if kind == "bench":
                if key not in workloads:
                    workloads.append(key)
                errs = num(row[7]) if len(row) > 7 else None
                bench[(key, target)] = (status, num(row[4]), num(row[5]), num(row[6]), errs)
            elif kind == "rss":
                each = [num(k) for k in row[5].split(",")] if len(row) > 5 and row[5] != "-" else []
                rss[target] = (status, num(row[4]), each)
            elif kind == "perf":
                perf[(key, target)] = (status, *row[4:9])
    return bench, rss, perf, workloads, targets, extra


def cell(entry):
    """QPS, p50 ms, p99 ms for one result, or the failure in the QPS column."""
    if entry is None:
        return ["n/a", "", ""]
    status, qps, p50, p99, errs = entry
    if status != "ok":
        return [status.upper(), "", ""]
    mark = f" ({errs:.0f} ERR)" if errs else ""
    return [fmt_qps(qps) + mark, fmt_ms(p50), fmt_ms(p99)]


def ratio(kv, etcd, goal=None):
    """kv's QPS over etcd's, p99 over p99, and whether the QPS ratio reaches the goal (if any)."""
    if not kv or not etcd or kv[0] != "ok" or etcd[0] != "ok" or not kv[1] or not etcd[1]:
        return "-"
    text = f"x{kv[1] / etcd[1]:.2f}"
    if kv[3] and etcd[3]:
        text += f" (p99 x{kv[3] / etcd[3]:.2f})"
    if goal:
        text += " met" if kv[1] / etcd[1] >= goal else " MISSED"
    return text


def fmt_goal(goal):
    return "-" if goal is None else f"x{goal:g}"


def bench_table(bench, workloads, targets, extra):
    kvs = [t for t in targets if t != "etcd"]
    goals, refs = extra["goal"], extra["ref"]
    head = ["workload"]
    for t in targets:
        head += [f"{t} QPS", f"{t} p50 ms", f"{t} p99 ms"]
    head += [f"{t}/etcd QPS" for t in kvs] if "etcd" in targets else []
    head += ["goal kv/etcd"] if goals else []
    head += ["etcd ref QPS"] if refs else []
    rows = []
    for w in workloads:
        row = [w]
        for t in targets:
            row += cell(bench.get((w, t)))
        if "etcd" in targets:
            row += [ratio(bench.get((w, t)), bench.get((w, "etcd")), goals.get(w)) for t in kvs]
        row += [fmt_goal(goals.get(w))] if goals else []
        row += [fmt_qps(refs.get(w))] if refs else []
        rows.append(row)
    return head, rows


def fmt_rss(entry):
    status, kib, each = entry
    if status != "ok" or not kib:
        return status.upper()
    total = f"{kib / 1024:.0f}"
    return total if len(each) < 2 else total + " (" + " + ".join(f"{k / 1024:.0f}" for k in each) + ")"


def side_table(rss, perf, targets, members):
    loads = list(dict.fromkeys(load for load, _ in perf))
    what = "RSS after run (MiB)" if members == 1 else f"RSS after run, sum of {members} members (MiB)"
    head = ["target", what] + [f"check perf --load={l}" for l in loads]
    rows = []
    for t in targets:
        row = [t, fmt_rss(rss.get(t, ("n/a", None, [])))]
        for l in loads:
            p = perf.get((l, t))
            if p is None:
                row.append("n/a")
            elif p[0] != "ok" and p[1] == "-":
                row.append(p[0].upper())
            else:
                errs = f", {p[5]} distinct errors" if len(p) > 5 and p[5] not in ("0", "-") else ""
                row.append(f"{p[1]}: {p[2]} w/s, slowest {p[3]} s, stddev {p[4]} s{errs}")
        rows.append(row)
    return head, rows


def plain(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def title(extra):
    n = extra["members"]
    shape = "a single member" if n == 1 else f"a {n}-member cluster"
    text = f"kv vs etcd 3.4, members: {n} (each target {shape} on 127.0.0.1)"
    if extra["ref"]:
        text += "; etcd ref QPS: etcd 3.4.23 measured earlier on this machine with the same shape"
    return text


def table(path):
    bench, rss, perf, workloads, targets, extra = load(path)
    tables = [bench_table(bench, workloads, targets, extra)]
    if rss or perf:
        tables.append(side_table(rss, perf, targets, extra["members"]))
    print(title(extra))
    print()
    for head, rows in tables:
        print(plain(head, rows))
        print()
    print("Markdown:")
    print()
    print("#### " + title(extra))
    print()
    for head, rows in tables:
        print(markdown(head, rows))
        print()


def leader(members, text):
    """The common leader id when `members` endpoints answered and agree on a non-zero one."""
    try:
        statuses = json.loads(text)
    except ValueError:
        return None
    if not isinstance(statuses, list):
        return None
    leaders = {s.get("Status", {}).get("leader", 0) for s in statuses if isinstance(s, dict)}
    if len(statuses) != members or len(leaders) != 1 or 0 in leaders:
        return None
    return f"{leaders.pop():x}"


def first_member(text):
    """The member id (hex) of the first endpoint in `endpoint status -w json`, or None."""
    try:
        statuses = json.loads(text)
        return f"{statuses[0]['Status']['header']['member_id']:x}"
    except (ValueError, LookupError, TypeError):
        return None


def main(argv):
    if len(argv) == 2 and argv[1] == "first-member":
        found = first_member(sys.stdin.read())
        if found is None:
            sys.exit(1)
        print(found)
        return
    if len(argv) == 3 and argv[1] == "leader":
        found = leader(int(argv[2]), sys.stdin.read())
        if found is None:
            sys.exit(1)
        print(found)
        return
    if len(argv) != 3 or argv[1] not in ("summary", "checkperf", "table"):
        sys.exit(__doc__)
    cmd, path = argv[1], argv[2]
    if cmd == "summary":
        for s in parse_summaries(read(path)):
            print(" ".join("-" if v is None else repr(v) for v in s))
    elif cmd == "checkperf":
        print("|".join(parse_checkperf(read(path))))
    else:
        table(path)


if __name__ == "__main__":
    main(sys.argv)
