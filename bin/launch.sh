# Sourced by bin/kvd and bin/kvctl: runs a kv module on the module path of kv.dist/target with the
# flags its dependencies need (see ../shared/docs/jpms-notes.md).
# usage: kv_launch MODULE/MAIN_CLASS args...   (KV_ADD_MODULES: modules to add beyond what MODULE
# requires and the services it uses bind; kvd adds them all so plug-in engines on the path are seen)
# KV_LAUNCH_JAVA: a java known to be JDK 25 (kvctl's, recorded with its AOT cache); otherwise
# jdk25.sh finds one. No external command runs here on that path: kvctl's start-up time counts.
kv_launch() {
  local here top main=$1 java; shift
  here=$(cd "${BASH_SOURCE[0]%/*}" && pwd); top=${here%/*}
  if [ -n "${KV_LAUNCH_JAVA:-}" ] && [ -x "$KV_LAUNCH_JAVA" ]; then
    java=$KV_LAUNCH_JAVA
  else
    . "$here/jdk25.sh"
    java=$KV_JAVA_HOME/bin/java
  fi
  local mods=$top/kv.dist/target/modules cp=$top/kv.dist/target/classpath
  if [ ! -d "$mods" ] || ! compgen -G "$mods/kv.server-*.jar" >/dev/null; then
    echo "kv: not built yet ($mods is missing); run: ./mvnw -q -DskipTests package" >&2
    exit 3
  fi
  exec "$java" ${KV_JAVA_OPTS:-} \
    --module-path "$mods" \
    --class-path "$cp/*" \
    --add-modules "${KV_ADD_MODULES:-ALL-MODULE-PATH},jdk.unsupported" \
    --enable-native-access=ALL-UNNAMED,io.grpc.netty.shaded,rocksdbjni,org.jnrproject.jffi,lmdbjava \
    --add-opens java.base/java.nio=lmdbjava --add-opens java.base/sun.nio.ch=lmdbjava \
    --sun-misc-unsafe-memory-access=allow \
    -m "$main" "$@"
}
