# Sourced by mvnw, bin/kvd and bin/kvctl: sets KV_JAVA_HOME to a JDK whose feature version is >= 25,
# or prints one line naming what is missing and exits 3.
# Looks at, in order: $KV_JAVA_HOME, $JAVA_HOME, every JDK under ${KV_JDK_SEARCH:-/usr/lib/jvm}, and
# the JDK of the `java` on PATH.
kv_java_feature() { # prints the feature version of the JDK at $1, or nothing
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" | head -n1)
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  case "$v" in 1.*) v=${v#1.} ;; esac
  echo "${v%%[.+-]*}"
}
kv_find_jdk25() {
  local cand v onpath=""
  if command -v java >/dev/null 2>&1; then onpath=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); fi
  for cand in "${KV_JAVA_HOME:-}" "${JAVA_HOME:-}" "${KV_JDK_SEARCH:-/usr/lib/jvm}"/*25* "${KV_JDK_SEARCH:-/usr/lib/jvm}"/* "$onpath"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(kv_java_feature "$cand")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then KV_JAVA_HOME=$cand; export KV_JAVA_HOME; return 0; fi
  done
  echo "kv: JDK 25 not found (looked at \$KV_JAVA_HOME, \$JAVA_HOME, ${KV_JDK_SEARCH:-/usr/lib/jvm} and the java on PATH); install a JDK 25 (e.g. Temurin 25) or set JAVA_HOME to one" >&2
  exit 3
}
kv_find_jdk25
