#!/usr/bin/env bash
# Side-by-side benchmark: etcd 3.4 against kvd on each storage engine, with etcd's own load
# generator (tools/benchmark) and `etcdctl check perf`. See bench/README.md.
#
# usage: bench/vs-etcd.sh [--quick] [--members 1|3] [--engines jbolt,rocksdb,lmdb] [--no-etcd]
#                         [--no-build] [--check-perf m,l|none] [--timeout SECS] [--quota BYTES]
#                         [--results DIR] [--keep-data] [--log-level error|warn|info|debug]
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
REPORT="$HERE/vs_etcd_report.py"

QUICK=0 ENGINES=jbolt,rocksdb,lmdb WITH_ETCD=1 BUILD=1 PERF_LOADS= TIMEOUT= KEEP=0 MEMBERS=1
LOG_LEVEL=error
QUOTA=$((2 * 1024 * 1024 * 1024))
RESULTS=${TMPDIR:-/tmp}/kv-vs-etcd-results-$(date -u +%Y%m%dT%H%M%SZ)

usage() { sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
    --members) MEMBERS=$2; shift ;;
    --members=*) MEMBERS=${1#*=} ;;
    --log-level) LOG_LEVEL=$2; shift ;;
    --log-level=*) LOG_LEVEL=${1#*=} ;;
    --engines) ENGINES=$2; shift ;;
    --engines=*) ENGINES=${1#*=} ;;
    --no-etcd) WITH_ETCD=0 ;;
    --no-build) BUILD=0 ;;
    --check-perf) PERF_LOADS=$2; shift ;;
    --check-perf=*) PERF_LOADS=${1#*=} ;;
    --timeout) TIMEOUT=$2; shift ;;
    --timeout=*) TIMEOUT=${1#*=} ;;
    --quota) QUOTA=$2; shift ;;
    --quota=*) QUOTA=${1#*=} ;;
    --results) RESULTS=$2; shift ;;
    --results=*) RESULTS=${1#*=} ;;
    --keep-data) KEEP=1 ;;
    -h|--help) usage 0 ;;
    *) echo "vs-etcd: unknown argument: $1" >&2; usage 2 ;;
  esac
  shift
done
case $MEMBERS in 1|3) ;; *) echo "vs-etcd: --members must be 1 or 3, not '$MEMBERS'" >&2; exit 2 ;; esac

# Totals: a full run is ~10-20 min on 2 cores with etcd + 3 engines, --quick ~2-3 min.
if [ "$QUICK" = 1 ]; then
  T_PUT1=2000 T_PUT=10000 T_TXN=5000 T_RANGE1=3000 T_RANGE=10000 T_WARM=2000 T_WARM1=500 T_WARM1000=2000
  W_PUTS=200 W_RATE=500
  : "${TIMEOUT:=90}" "${PERF_LOADS:=none}"
else
  T_PUT1=10000 T_PUT=100000 T_TXN=50000 T_RANGE1=20000 T_RANGE=100000 T_WARM=100000 T_WARM1=10000 T_WARM1000=50000
  W_PUTS=2000 W_RATE=1000
  : "${TIMEOUT:=300}" "${PERF_LOADS:=m,l}"
fi
[ "$PERF_LOADS" = none ] && PERF_LOADS=
# Three JVMs per engine share the machine with the other targets: a smaller heap cap keeps a
# 3-engine cluster run (9 JVMs) within memory; 1 GiB is far above the data these workloads write.
if [ "$MEMBERS" = 1 ]; then START_WAIT=60; else START_WAIT=180; fi
# kvd runs with bin/kvd's JVM settings (G1, 1 GiB heap) unless KV_JAVA_OPTS says otherwise
KVD_JAVA=$(sed -n 's/^KV_JAVA_OPTS=${KV_JAVA_OPTS:-\(.*\)}$/\1/p' "$ROOT/bin/kvd")

log() { echo "[vs-etcd $(date -u +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }

# ---- build ------------------------------------------------------------------------------------
build_kv() {
  local ref
  ref=$(ls "$ROOT"/kv.dist/target/modules/kv.server-*.jar 2>/dev/null | head -1)
  if [ -n "$ref" ] && [ -z "$(find "$ROOT" \( -name target -o -name .git \) -prune -o -type f \
        \( -path '*/src/main/*' -o -name pom.xml \) -newer "$ref" -print -quit)" ]; then
    log "kv build is up to date ($ref)"; return 0
  fi
  log "building kv: ./mvnw -q -B -DskipTests package"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "kv build failed"
}
command -v etcd >/dev/null && command -v etcdctl >/dev/null || die "etcd and etcdctl are needed (apt-get install etcd-server etcd-client)"
command -v python3 >/dev/null || die "python3 is needed"
if [ "$BUILD" = 1 ] && [ -n "$ENGINES" ]; then build_kv; fi
BENCH=$("${KV_BENCH_TOOL_SCRIPT:-/work/shared/tools/build-etcd-benchmark.sh}" | tail -1) \
  && [ -x "$BENCH" ] || die "could not build etcd's benchmark tool"

# ---- targets ----------------------------------------------------------------------------------
TARGETS=()
[ "$WITH_ETCD" = 1 ] && TARGETS+=(etcd)
IFS=, read -r -a ENGINE_LIST <<< "$ENGINES"
for e in "${ENGINE_LIST[@]}"; do [ -n "$e" ] && TARGETS+=("kv-$e"); done
[ ${#TARGETS[@]} -gt 0 ] || die "no targets"

mkdir -p "$RESULTS/raw" || die "cannot create $RESULTS"
# Every data dir under one directory of the results dir: one filesystem for all servers.
WORK=$(mktemp -d "$RESULTS/data.XXXXXX") || die "cannot create a data directory in $RESULTS"
TSV=$RESULTS/results.tsv FAILS=$RESULTS/failures.txt
: > "$TSV"; : > "$FAILS"
# Per target: PIDS the member PIDs and EP the client endpoints (both in member order m1..mN).
declare -A PIDS EP
STARTED=() CHILD=

# Runs a load generator in the background and waits for it: bash runs a trap only once its
# foreground child has ended, so this lets Ctrl-C stop the run at once (cleanup stops CHILD).
bg_wait() { "$@" & CHILD=$!; wait "$CHILD"; local rc=$?; CHILD=; return "$rc"; }

cleanup() {
  local p i
  [ -n "$CHILD" ] && kill -TERM "$CHILD" 2>/dev/null
  for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${STARTED[@]}"; do
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && { log "pid $p ignored SIGTERM; SIGKILL"; kill -KILL "$p" 2>/dev/null; }
  done
  STARTED=()
  if [ "$KEEP" = 1 ]; then log "data kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# N distinct free loopback ports, all bound at once so no two answers collide, and taken below the
# kernel's ephemeral range (20000-32767): a port from there can be taken by any outgoing connection
# between this probe and the server's bind ("bind: address already in use").
free_ports() {
  python3 -c 'import random,socket,sys
n, socks = int(sys.argv[1]), []
for port in random.sample(range(20000, 32768), 2000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close(); continue
    socks.append(s)
    if len(socks) == n: break
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

member_log() {   # target member-index
  if [ "$MEMBERS" = 1 ]; then echo "$RESULTS/server.$1.log"; else echo "$RESULTS/server.$1.m$2.log"; fi
}

# Starts member I of target T (sets LAST_PID): etcd's flags for both etcd and kvd.
start_member() {   # target index client-port peer-port initial-cluster
  local t=$1 i=$2 cport=$3 pport=$4 cluster=$5 out
  out=$(member_log "$t" "$i")
  local flags=(--name "m$i" --data-dir "$WORK/$t/m$i"
    --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport"
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport"
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "bench-$t"
    --quota-backend-bytes "$QUOTA" --log-level="$LOG_LEVEL")
  mkdir -p "$WORK/$t"
  if [ "$t" = etcd ]; then
    etcd "${flags[@]}" --logger=zap > "$out" 2>&1 &
  else
    # bin/kvd execs java, so $! is the JVM's PID (its RSS is the server's).
    KV_JAVA_OPTS=${KV_JAVA_OPTS:-} \
      "$ROOT/bin/kvd" "${flags[@]}" --backend "${t#kv-}" > "$out" 2>&1 &
  fi
  LAST_PID=$!
  STARTED+=("$LAST_PID")
}

# Starts all members of a target together, waits until every member answers `endpoint status`
# naming the same leader, then checks that each serves linearizable reads (await_healthy).
start_target() {
  local t=$1 i cluster= eps= pids= ports
  read -r -a ports <<< "$(free_ports $((2 * MEMBERS)))"
  for i in $(seq 1 "$MEMBERS"); do
    cluster+=${cluster:+,}m$i=http://127.0.0.1:${ports[2 * i - 1]}
    eps+=${eps:+,}127.0.0.1:${ports[2 * i - 2]}
  done
  for i in $(seq 1 "$MEMBERS"); do
    start_member "$t" "$i" "${ports[2 * i - 2]}" "${ports[2 * i - 1]}" "$cluster"
    pids+=${pids:+ }$LAST_PID
  done
  PIDS[$t]=$pids EP[$t]=$eps
  local deadline=$((SECONDS + START_WAIT)) leader=
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ -z "$(dead_members "$t")" ] || { fail "$t" start "$(dead_members "$t") exited during start-up"; return 1; }
    leader=$(ETCDCTL_API=3 etcdctl --endpoints="$eps" --dial-timeout=1s --command-timeout=2s \
      -w json endpoint status 2>/dev/null | python3 "$REPORT" leader "$MEMBERS") && break
    sleep 0.5
  done
  if [ -z "$leader" ]; then
    fail "$t" start "not every member answered endpoint status naming one leader within $START_WAIT s"
    snapshot_state "$t" start; return 1
  fi
  log "$t up on $eps (pids $pids; leader $leader)"
  [ "$MEMBERS" -gt 1 ] && lead_from_first "$t" "$leader"
  await_healthy "$t"
}

# The 1-client rows talk to the first endpoint only: a leader there answers a put in one round
# trip to the followers, a follower needs one more (forward, then learn the commit). Leadership
# goes to m1 on every target so that etcd and kvd are compared on the same path.
lead_from_first() {
  local t=$1 leader=$2 first eps=${EP[$1]} i
  first=$(ETCDCTL_API=3 etcdctl --endpoints="${eps%%,*}" --dial-timeout=1s --command-timeout=2s \
    -w json endpoint status 2>/dev/null | python3 "$REPORT" first-member) || { log "$t: no member id for m1"; return 0; }
  [ "$first" = "$leader" ] && return 0
  ETCDCTL_API=3 etcdctl --endpoints="$eps" --command-timeout=10s move-leader "$first" >/dev/null 2>&1 \
    || { log "$t: move-leader to m1 ($first) failed; leader stays $leader"; return 0; }
  for i in $(seq 1 20); do
    leader=$(ETCDCTL_API=3 etcdctl --endpoints="$eps" --dial-timeout=1s --command-timeout=2s \
      -w json endpoint status 2>/dev/null | python3 "$REPORT" leader "$MEMBERS")
    [ "$leader" = "$first" ] && { log "$t: leadership moved to m1 ($first)"; return 0; }
    sleep 0.5
  done
  log "$t: leader is ${leader:-unknown} after move-leader to m1 ($first)"
}

# `endpoint health` (a linearizable read through raft) of each member alone, for up to 30 s. A member
# that has a leader but cannot serve such a read is recorded; the workloads still run.
await_healthy() {
  local t=$1 deadline=$((SECONDS + 30)) i sick eps
  IFS=, read -r -a eps <<< "${EP[$t]}"
  while :; do
    sick=
    for i in "${!eps[@]}"; do
      ETCDCTL_API=3 etcdctl --endpoints="${eps[i]}" --dial-timeout=1s --command-timeout=3s \
        endpoint health >/dev/null 2>&1 || sick+=" m$((i + 1))"
    done
    [ -z "$sick" ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && break
    sleep 0.5
  done
  fail "$t" start "endpoint health (a linearizable read) still fails after 30 s on:$sick"
  snapshot_state "$t" start; return 1
}

dead_members() {   # "m2 (pid 123) m3 (pid 456)" for the members of a target that are not running
  local p i=0 dead=
  for p in ${PIDS[$1]:-}; do
    i=$((i + 1)); kill -0 "$p" 2>/dev/null || dead+=${dead:+, }"m$i (pid $p)"
  done
  echo "$dead"
}

alive() { [ -n "${PIDS[$1]:-}" ] && [ -z "$(dead_members "$1")" ]; }

fail() {   # target, workload, what
  local i lines=$((MEMBERS == 1 ? 30 : 20))
  log "FAILED: $1 $2: $3"
  { echo "== $1 / $2: $3"
    for i in $(seq 1 "$MEMBERS"); do
      echo "-- last lines of $(member_log "$1" "$i"):"; tail -n "$lines" "$(member_log "$1" "$i")" 2>/dev/null
    done; echo; } >> "$FAILS"
}

# After a timeout or an error: each member's own status (one by one, so a stuck member cannot hide
# the others) into failures.txt; every member's /metrics and, for kvd, a thread dump of every
# member JVM into raw/.
snapshot_state() {   # target workload
  local t=$1 w=$2 i=0 p ep exe eps
  IFS=, read -r -a eps <<< "${EP[$t]}"
  { echo "-- each member after $w: endpoint status (endpoint, ID, version, DB size, is leader, is learner, raft term, raft index, raft applied index, errors), then endpoint health:"
    for p in ${PIDS[$t]}; do
      i=$((i + 1)); ep=${eps[i - 1]}
      printf 'm%s pid %s %s: ' "$i" "$p" "$ep"
      ETCDCTL_API=3 etcdctl --endpoints="$ep" --dial-timeout=2s --command-timeout=3s -w simple \
        endpoint status 2>&1 | tr '\n' ' '
      ETCDCTL_API=3 etcdctl --endpoints="$ep" --dial-timeout=2s --command-timeout=3s \
        endpoint health 2>&1 | tr '\n' ' '; echo
      curl -s -m 3 "http://$ep/metrics" > "$RESULTS/raw/$w.$t.m$i.metrics.txt" 2>&1 \
        && echo "   metrics: $RESULTS/raw/$w.$t.m$i.metrics.txt"
      if [ "$t" != etcd ] && kill -0 "$p" 2>/dev/null; then
        exe=$(readlink "/proc/$p/exe")
        "$(dirname "$exe")/jcmd" "$p" Thread.print > "$RESULTS/raw/$w.$t.m$i.threads.txt" 2>&1 \
          && echo "   thread dump: $RESULTS/raw/$w.$t.m$i.threads.txt"
      fi
    done; echo; } >> "$FAILS"
}

# run_bench WORKLOAD TARGET SUMMARY_INDEX BENCHMARK_ARGS...  (index: which "Summary:" block)
run_bench() {
  local w=$1 t=$2 idx=$3; shift 3
  local out=$RESULTS/raw/$w.$t.txt status=ok rc line
  if ! alive "$t"; then printf 'bench\t%s\t%s\tdown\t-\t-\t-\t-\n' "$w" "$t" >> "$TSV"; return; fi
  log "$w on $t: benchmark $*"
  echo "benchmark --endpoints=${EP[$t]} --precise $*" > "$out"
  bg_wait timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --precise "$@" >> "$out" 2> "${out%.txt}.err"
  rc=$?
  line=$(python3 "$REPORT" summary "$out" | sed -n "${idx}p")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status=timeout; fail "$t" "$w" "timed out after ${TIMEOUT}s"
  elif [ "$rc" != 0 ]; then status="error($rc)"; fail "$t" "$w" "benchmark exit $rc: $(tail -n 3 "${out%.txt}.err" | tr '\n' ' ')"
  elif [ -z "$line" ]; then status=noparse; fail "$t" "$w" "no summary in $out"
  fi
  case $status in ok|noparse) ;; *) snapshot_state "$t" "$w" ;; esac
  [ -n "$line" ] || line="- - - -"
  case $line in *" 0"|*" -") ;; *) fail "$t" "$w" "requests failed: $(tr '\r' '\n' < "$out" | grep -A5 '^Error distribution' | tail -n +2 | tr '\n' ' ')" ;; esac
  printf 'bench\t%s\t%s\t%s\t%s\n' "$w" "$t" "$status" "$(echo "$line" | tr ' ' '\t')" >> "$TSV"
  alive "$t" || fail "$t" "$w" "server process died: $(dead_members "$t")"
}

# The same workload on every target in turn, so slow drifts of the shared machine hit all alike.
each() { local w=$1 idx=$2 t; shift 2; for t in "${TARGETS[@]}"; do run_bench "$w" "$t" "$idx" "$@"; done; }

run_check_perf() {   # LOAD TARGET
  local l=$1 t=$2 out=$RESULTS/raw/check-perf-$1.$2.txt rc status=ok
  if ! alive "$t"; then printf 'perf\t%s\t%s\tdown\t-\t-\t-\t-\t-\n' "$l" "$t" >> "$TSV"; return; fi
  log "check perf --load=$l on $t (about a minute)"
  ETCDCTL_API=3 etcdctl --endpoints="${EP[$t]}" del --prefix /etcdctl-check-perf/ >/dev/null 2>&1
  bg_wait timeout -k 5 $((TIMEOUT > 150 ? TIMEOUT : 150)) env ETCDCTL_API=3 etcdctl \
    --endpoints="${EP[$t]}" check perf --load="$l" > "$out" 2>&1
  rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status=timeout; fail "$t" "check-perf-$l" "timed out"
  elif [ "$rc" != 0 ]; then status="exit($rc)"; fi   # FAIL verdicts exit non-zero: still parsed
  grep -q '^FAIL: ERROR(' "$out" && fail "$t" "check-perf-$l" "requests failed: $(grep '^FAIL: ERROR(' "$out" | head -5 | tr '\n' ' ')"
  printf 'perf\t%s\t%s\t%s\t%s\n' "$l" "$t" "$status" \
    "$(python3 "$REPORT" checkperf "$out" | tr '|' '\t')" >> "$TSV"
}

# ---- run --------------------------------------------------------------------------------------
log "targets: ${TARGETS[*]} ($MEMBERS member(s) each); results in $RESULTS; $( [ "$QUICK" = 1 ] && echo quick || echo full ) run"
printf 'meta\tmembers\t-\tok\t%s\n' "$MEMBERS" >> "$TSV"
{ echo "date: $(date -u)"; echo "host: $(uname -a)"; echo "cores: $(nproc)"; uptime
  echo "etcd: $(etcd --version | head -1)"; echo "benchmark: $BENCH"; echo "targets: ${TARGETS[*]}"
  echo "members: $MEMBERS quick: $QUICK timeout: $TIMEOUT quota: $QUOTA check-perf: ${PERF_LOADS:-none}"
  echo "kvd java options: ${KV_JAVA_OPTS:-$KVD_JAVA, the default of bin/kvd}"
  (cd "$ROOT" && git rev-parse HEAD 2>/dev/null); } > "$RESULTS/env.txt"

for t in "${TARGETS[@]}"; do start_target "$t"; done
VALUE=$(head -c 256 /dev/zero | tr '\0' v)
for t in "${TARGETS[@]}"; do
  alive "$t" || continue
  ETCDCTL_API=3 etcdctl --endpoints="${EP[$t]}" put bench-range-key "$VALUE" >/dev/null \
    || fail "$t" setup "put of the range key failed"
  # Warm-up, not reported: lets the JVM compile its hot paths (etcd gets the same, for symmetry).
  # A full run writes the whole key space once at 100 clients: 20,000 puts at 10 clients left a
  # 3-member kvd (three JVMs compiling on 2 cores) still compiling during put-1c and put-100c.
  WARM_C=10; [ "$QUICK" = 1 ] || WARM_C=100
  bg_wait timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --conns=$WARM_C --clients=$WARM_C put --key-size=8 \
    --val-size=256 --sequential-keys --key-space-size=100000 --total="$T_WARM" \
    > "$RESULTS/raw/warmup.$t.txt" 2>&1 || fail "$t" warmup "warm-up put failed or timed out"
  # then a single client: a single-voter kvd runs an idle leader's raft round on the proposing
  # thread, a path the 100-client warm-up does not take (put-1c climbed through its whole run)
  bg_wait timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --conns=1 --clients=1 put --key-size=8 \
    --val-size=256 --sequential-keys --key-space-size=100000 --total="$T_WARM1" \
    > "$RESULTS/raw/warmup-1c.$t.txt" 2>&1 || fail "$t" warmup "single-client warm-up put failed or timed out"
  # and 1,000 clients: a 3-member kvd's JIT compilers still took ~40% of the servers' CPU (mostly
  # system time) through the first put-1000c run after the other two warm-ups
  bg_wait timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --conns=100 --clients=1000 put --key-size=8 \
    --val-size=256 --sequential-keys --key-space-size=100000 --total="$T_WARM1000" \
    > "$RESULTS/raw/warmup-1000c.$t.txt" 2>&1 || fail "$t" warmup "1000-client warm-up put failed or timed out"
done

PUT=(put --key-size=8 --val-size=256 --sequential-keys --key-space-size=100000)
if [ "$MEMBERS" = 1 ]; then
  each put-1c 1 --conns=1 --clients=1 "${PUT[@]}" --total="$T_PUT1"
  each put-100c 1 --conns=100 --clients=100 "${PUT[@]}" --total="$T_PUT"
  each put-1000c 1 --conns=100 --clients=1000 "${PUT[@]}" --total="$T_PUT"
  each txn-put-100c 1 --conns=100 --clients=100 txn-put --key-size=8 --val-size=256 --total="$T_TXN"
  each range-l-1c 1 --conns=1 --clients=1 range bench-range-key --consistency=l --total="$T_RANGE1"
  each range-l-100c 1 --conns=100 --clients=100 range bench-range-key --consistency=l --total="$T_RANGE"
  each range-s-1c 1 --conns=1 --clients=1 range bench-range-key --consistency=s --total="$T_RANGE1"
  each range-s-100c 1 --conns=100 --clients=100 range bench-range-key --consistency=s --total="$T_RANGE"
  WATCH=(--conns=10 --clients=10 watch --streams=10 --watch-per-stream=100 --put-total="$W_PUTS" --put-rate="$W_RATE")
  for t in "${TARGETS[@]}"; do   # one run gives both figures: creation of 1,000 watchers, then events
    run_bench watch-create-1000w "$t" 1 "${WATCH[@]}"
    out=$RESULTS/raw/watch-create-1000w.$t.txt
    cp "$out" "$RESULTS/raw/watch-events-1000w.$t.txt" 2>/dev/null
    line=$(python3 "$REPORT" summary "$out" | sed -n 2p)
    st=$(awk -F'\t' -v t="$t" '$2=="watch-create-1000w" && $3==t {s=$4} END {print s}' "$TSV")
    [ "$st" = ok ] && [ -z "$line" ] && st=noparse
    printf 'bench\twatch-events-1000w\t%s\t%s\t%s\n' "$t" "${st:-down}" "$(echo "${line:-- - - -}" | tr ' ' '\t')" >> "$TSV"
  done
else
  # Issue 9's cluster workloads. Goals (kv/etcd QPS in the same run) and the etcd 3.4.23 figures
  # measured as a 3-member cluster on the shared 2-core machine go to the table beside the run's.
  cluster_row() {   # WORKLOAD GOAL_RATIO REFERENCE_QPS BENCHMARK_ARGS...
    local w=$1; printf 'goal\t%s\t-\tok\t%s\nref\t%s\tetcd\tok\t%s\n' "$w" "$2" "$w" "$3" >> "$TSV"
    shift 3; each "$w" 1 "$@"
  }
  cluster_row put-1c 1.5 765 --conns=1 --clients=1 "${PUT[@]}" --total="$T_PUT1"
  cluster_row put-100c 1.5 6679 --conns=100 --clients=100 "${PUT[@]}" --total="$T_PUT"
  cluster_row put-1000c 1.5 10556 --conns=100 --clients=1000 "${PUT[@]}" --total="$T_PUT"
  cluster_row range-l-100c 2 5102 --conns=100 --clients=100 range bench-range-key --consistency=l --total="$T_RANGE"
  cluster_row range-s-100c 2 6970 --conns=100 --clients=100 range bench-range-key --consistency=s --total="$T_RANGE"
fi

for t in "${TARGETS[@]}"; do   # summed over the members; each member's figure in the last column
  if alive "$t"; then
    each_kib=$(for p in ${PIDS[$t]}; do awk '/^VmRSS:/ {print $2}' "/proc/$p/status"; done | paste -sd, -)
    printf 'rss\t-\t%s\tok\t%s\t%s\n' "$t" "$(echo "$each_kib" | tr , '\n' | awk '{s += $1} END {print s}')" "$each_kib" >> "$TSV"
  else
    printf 'rss\t-\t%s\tdown\t-\t-\n' "$t" >> "$TSV"
  fi
done

IFS=, read -r -a LOADS <<< "$PERF_LOADS"
for l in "${LOADS[@]}"; do for t in "${TARGETS[@]}"; do run_check_perf "$l" "$t"; done; done

cleanup
trap - EXIT
python3 "$REPORT" table "$TSV" | tee "$RESULTS/table.txt"
echo "Raw outputs, server logs and results.tsv: $RESULTS"
if [ -s "$FAILS" ]; then echo "Failures (with server log tails): $FAILS"; cat "$FAILS"; fi
