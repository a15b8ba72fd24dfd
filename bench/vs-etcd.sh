#!/usr/bin/env bash
# Side-by-side benchmark: etcd 3.4 against kvd on each storage engine, with etcd's own load
# generator (tools/benchmark) and `etcdctl check perf`. See bench/README.md.
#
# usage: bench/vs-etcd.sh [--quick] [--engines jbolt,rocksdb,lmdb] [--no-etcd] [--no-build]
#                         [--check-perf m,l|none] [--timeout SECS] [--quota BYTES] [--results DIR]
#                         [--keep-data]
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
REPORT="$HERE/vs_etcd_report.py"

QUICK=0 ENGINES=jbolt,rocksdb,lmdb WITH_ETCD=1 BUILD=1 PERF_LOADS= TIMEOUT= KEEP=0
QUOTA=$((2 * 1024 * 1024 * 1024))
RESULTS=${TMPDIR:-/tmp}/kv-vs-etcd-results-$(date -u +%Y%m%dT%H%M%SZ)

usage() { sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
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

# Totals: a full run is ~10-20 min on 2 cores with etcd + 3 engines, --quick ~2-3 min.
if [ "$QUICK" = 1 ]; then
  T_PUT1=2000 T_PUT=10000 T_TXN=5000 T_RANGE1=3000 T_RANGE=10000 T_WARM=2000
  W_PUTS=200 W_RATE=500
  : "${TIMEOUT:=90}" "${PERF_LOADS:=none}"
else
  T_PUT1=10000 T_PUT=100000 T_TXN=50000 T_RANGE1=20000 T_RANGE=100000 T_WARM=20000
  W_PUTS=2000 W_RATE=1000
  : "${TIMEOUT:=300}" "${PERF_LOADS:=m,l}"
fi
[ "$PERF_LOADS" = none ] && PERF_LOADS=

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
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kv-vs-etcd.XXXXXX")   # every data dir here: one filesystem
TSV=$RESULTS/results.tsv FAILS=$RESULTS/failures.txt
: > "$TSV"; : > "$FAILS"
declare -A PID EP
STARTED=()

cleanup() {
  local p i
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_target() {
  local t=$1 cport pport dir=$WORK/$1
  cport=$(free_port); pport=$(free_port)
  while [ "$pport" = "$cport" ]; do pport=$(free_port); done
  local common=(--name bench --data-dir "$dir/data"
    --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport"
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport"
    --initial-cluster "bench=http://127.0.0.1:$pport" --quota-backend-bytes "$QUOTA" --log-level=error)
  mkdir -p "$dir"
  if [ "$t" = etcd ]; then
    etcd "${common[@]}" --logger=zap > "$RESULTS/server.$t.log" 2>&1 &
  else
    # bin/kvd execs java, so $! is the JVM's PID (its RSS is the server's).
    KV_JAVA_OPTS=${KV_JAVA_OPTS:--XX:+UseZGC -Xms256m -Xmx2g} \
      "$ROOT/bin/kvd" "${common[@]}" --backend "${t#kv-}" > "$RESULTS/server.$t.log" 2>&1 &
  fi
  PID[$t]=$! EP[$t]=127.0.0.1:$cport
  STARTED+=("$!")
  local i
  for i in $(seq 1 120); do
    kill -0 "${PID[$t]}" 2>/dev/null || { fail "$t" start "exited during start-up"; return 1; }
    ETCDCTL_API=3 etcdctl --endpoints="${EP[$t]}" --dial-timeout=1s --command-timeout=2s \
      endpoint health >/dev/null 2>&1 && { log "$t up on ${EP[$t]} (pid ${PID[$t]})"; return 0; }
    sleep 0.5
  done
  fail "$t" start "not healthy after 60 s"; return 1
}

alive() { [ -n "${PID[$1]:-}" ] && kill -0 "${PID[$1]}" 2>/dev/null; }

fail() {   # target, workload, what
  log "FAILED: $1 $2: $3"
  { echo "== $1 / $2: $3"; echo "-- last lines of $RESULTS/server.$1.log:"
    tail -n 30 "$RESULTS/server.$1.log" 2>/dev/null; echo; } >> "$FAILS"
}

# run_bench WORKLOAD TARGET SUMMARY_INDEX BENCHMARK_ARGS...  (index: which "Summary:" block)
run_bench() {
  local w=$1 t=$2 idx=$3; shift 3
  local out=$RESULTS/raw/$w.$t.txt status=ok rc line
  if ! alive "$t"; then printf 'bench\t%s\t%s\tdown\t-\t-\t-\t-\n' "$w" "$t" >> "$TSV"; return; fi
  log "$w on $t: benchmark $*"
  echo "benchmark --endpoints=${EP[$t]} --precise $*" > "$out"
  timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --precise "$@" >> "$out" 2> "${out%.txt}.err"
  rc=$?
  line=$(python3 "$REPORT" summary "$out" | sed -n "${idx}p")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status=timeout; fail "$t" "$w" "timed out after ${TIMEOUT}s"
  elif [ "$rc" != 0 ]; then status="error($rc)"; fail "$t" "$w" "benchmark exit $rc: $(tail -n 3 "${out%.txt}.err" | tr '\n' ' ')"
  elif [ -z "$line" ]; then status=noparse; fail "$t" "$w" "no summary in $out"
  fi
  [ -n "$line" ] || line="- - - -"
  case $line in *" 0"|*" -") ;; *) fail "$t" "$w" "requests failed: $(tr '\r' '\n' < "$out" | grep -A5 '^Error distribution' | tail -n +2 | tr '\n' ' ')" ;; esac
  printf 'bench\t%s\t%s\t%s\t%s\n' "$w" "$t" "$status" "$(echo "$line" | tr ' ' '\t')" >> "$TSV"
  alive "$t" || fail "$t" "$w" "server process ${PID[$t]} died"
}

# The same workload on every target in turn, so slow drifts of the shared machine hit all alike.
each() { local w=$1 idx=$2 t; shift 2; for t in "${TARGETS[@]}"; do run_bench "$w" "$t" "$idx" "$@"; done; }

run_check_perf() {   # LOAD TARGET
  local l=$1 t=$2 out=$RESULTS/raw/check-perf-$1.$2.txt rc status=ok
  if ! alive "$t"; then printf 'perf\t%s\t%s\tdown\t-\t-\t-\t-\t-\n' "$l" "$t" >> "$TSV"; return; fi
  log "check perf --load=$l on $t (about a minute)"
  ETCDCTL_API=3 etcdctl --endpoints="${EP[$t]}" del --prefix /etcdctl-check-perf/ >/dev/null 2>&1
  timeout -k 5 $((TIMEOUT > 150 ? TIMEOUT : 150)) env ETCDCTL_API=3 etcdctl \
    --endpoints="${EP[$t]}" check perf --load="$l" > "$out" 2>&1
  rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status=timeout; fail "$t" "check-perf-$l" "timed out"
  elif [ "$rc" != 0 ]; then status="exit($rc)"; fi   # FAIL verdicts exit non-zero: still parsed
  grep -q '^FAIL: ERROR(' "$out" && fail "$t" "check-perf-$l" "requests failed: $(grep '^FAIL: ERROR(' "$out" | head -5 | tr '\n' ' ')"
  printf 'perf\t%s\t%s\t%s\t%s\n' "$l" "$t" "$status" \
    "$(python3 "$REPORT" checkperf "$out" | tr '|' '\t')" >> "$TSV"
}

# ---- run --------------------------------------------------------------------------------------
log "targets: ${TARGETS[*]}; results in $RESULTS; $( [ "$QUICK" = 1 ] && echo quick || echo full ) run"
{ echo "date: $(date -u)"; echo "host: $(uname -a)"; echo "cores: $(nproc)"; uptime
  echo "etcd: $(etcd --version | head -1)"; echo "benchmark: $BENCH"; echo "targets: ${TARGETS[*]}"
  echo "quick: $QUICK timeout: $TIMEOUT quota: $QUOTA check-perf: ${PERF_LOADS:-none}"
  (cd "$ROOT" && git rev-parse HEAD 2>/dev/null); } > "$RESULTS/env.txt"

for t in "${TARGETS[@]}"; do start_target "$t"; done
VALUE=$(head -c 256 /dev/zero | tr '\0' v)
for t in "${TARGETS[@]}"; do
  alive "$t" || continue
  ETCDCTL_API=3 etcdctl --endpoints="${EP[$t]}" put bench-range-key "$VALUE" >/dev/null \
    || fail "$t" setup "put of the range key failed"
  # Warm-up, not reported: lets the JVM compile its hot paths (etcd gets the same, for symmetry).
  timeout -k 5 "$TIMEOUT" "$BENCH" --endpoints="${EP[$t]}" --conns=10 --clients=10 put --key-size=8 \
    --val-size=256 --sequential-keys --key-space-size=100000 --total="$T_WARM" \
    > "$RESULTS/raw/warmup.$t.txt" 2>&1 || fail "$t" warmup "warm-up put failed or timed out"
done

PUT=(put --key-size=8 --val-size=256 --sequential-keys --key-space-size=100000)
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

for t in "${TARGETS[@]}"; do
  if alive "$t"; then
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/${PID[$t]}/status")
    printf 'rss\t-\t%s\tok\t%s\n' "$t" "$kib" >> "$TSV"
  else
    printf 'rss\t-\t%s\tdown\t-\n' "$t" >> "$TSV"
  fi
done

IFS=, read -r -a LOADS <<< "$PERF_LOADS"
for l in "${LOADS[@]}"; do for t in "${TARGETS[@]}"; do run_check_perf "$l" "$t"; done; done

cleanup
trap - EXIT
python3 "$REPORT" table "$TSV" | tee "$RESULTS/table.txt"
echo "Raw outputs, server logs and results.tsv: $RESULTS"
if [ -s "$FAILS" ]; then echo "Failures (with server log tails): $FAILS"; cat "$FAILS"; fi
