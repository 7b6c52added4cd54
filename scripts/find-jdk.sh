# Sourced by ./moco, examples/run and .ci/consumer-check: prints a java binary of a JDK >= 21
# (JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*), or fails.
java_major() { # prints the major version of the java binary $1, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}') || true
  echo "${v:-0}"
}

find_java() {
  local c
  for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if [ "$(java_major "$c")" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
