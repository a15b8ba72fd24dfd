# Sourced by bin/kvd and bin/kvctl: runs a kv module on the module path of kv.dist/target with the
# flags its dependencies need (see ../shared/docs/jpms-notes.md).
# usage: kv_launch MODULE/MAIN_CLASS args...   (KV_ADD_MODULES: modules to add beyond what MODULE
# requires and the services it uses bind; kvd adds them all so plug-in engines on the path are seen)
kv_launch() {
  local here top main=$1; shift
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); top=$(dirname "$here")
  . "$here/jdk25.sh"
  local mods=$top/kv.dist/target/modules cp=$top/kv.dist/target/classpath
  if [ ! -d "$mods" ] || ! ls "$mods"/kv.server-*.jar >/dev/null 2>&1; then
    echo "kv: not built yet ($mods is missing); run: ./mvnw -q -DskipTests package" >&2
    exit 3
  fi
  exec "$KV_JAVA_HOME/bin/java" ${KV_JAVA_OPTS:-} \
    --module-path "$mods" \
    --class-path "$cp/*" \
    --add-modules "${KV_ADD_MODULES:-ALL-MODULE-PATH},jdk.unsupported" \
    --enable-native-access=ALL-UNNAMED,io.grpc.netty.shaded,rocksdbjni,org.jnrproject.jffi,lmdbjava \
    --add-opens java.base/java.nio=lmdbjava --add-opens java.base/sun.nio.ch=lmdbjava \
    --sun-misc-unsafe-memory-access=allow \
    -m "$main" "$@"
}
