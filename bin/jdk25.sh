# Sourced by mvnw, bin/kvd and bin/kvctl: sets KV_JAVA_HOME to a JDK whose feature version is >= 25,
# or prints one line naming what is missing and exits 3.
kv_java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }
kv_find_jdk25() {
  local cand v
  for cand in "${KV_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/* \
              "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(kv_java_version "$cand")
    case "$v" in ''|1.*) continue ;; esac
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then KV_JAVA_HOME=$cand; export KV_JAVA_HOME; return 0; fi
  done
  echo "kv: JDK 25 or newer not found (looked at \$KV_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm and java on PATH); install Temurin 25 or set JAVA_HOME to it" >&2
  exit 3
}
kv_find_jdk25
