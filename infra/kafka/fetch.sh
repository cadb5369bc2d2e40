#!/usr/bin/env bash
# Resolve the Apache Kafka broker jars (pinned in pom.xml) from Maven Central
# and write the runtime classpath to target/classpath.txt.
#
# Idempotent: if target/classpath.txt is newer than pom.xml and every jar it
# lists is still present in the local Maven repository, Maven is not run at all.
# Set KAFKA_FETCH_FORCE=1 to always run Maven.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET_DIR="$SCRIPT_DIR/target"
CP_FILE="$TARGET_DIR/classpath.txt"

classpath_is_fresh() {
  [[ -s "$CP_FILE" && "$CP_FILE" -nt "$SCRIPT_DIR/pom.xml" ]] || return 1
  local jar
  local -a jars
  IFS=':' read -r -a jars < "$CP_FILE"
  [[ ${#jars[@]} -gt 0 ]] || return 1
  for jar in "${jars[@]}"; do
    [[ -f "$jar" ]] || return 1
  done
}

if [[ "${KAFKA_FETCH_FORCE:-0}" != "1" ]] && classpath_is_fresh; then
  exit 0
fi

command -v mvn >/dev/null 2>&1 || { echo "fetch.sh: mvn (Apache Maven) not found on PATH" >&2; exit 1; }

mkdir -p "$TARGET_DIR"
tmp="$CP_FILE.tmp.$$"
trap 'rm -f "$tmp"' EXIT

echo "fetch.sh: resolving Kafka broker jars with Maven..." >&2
# Maven output is only shown on failure (-q still prints stray ANSI codes).
if ! mvn_out="$(mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" \
      dependency:build-classpath \
      -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$tmp" 2>&1)"; then
  printf '%s\n' "$mvn_out" >&2
  echo "fetch.sh: Maven failed to resolve the Kafka jars (is Maven Central reachable?)" >&2
  exit 1
fi

[[ -s "$tmp" ]] || { echo "fetch.sh: Maven produced an empty classpath" >&2; exit 1; }
mv -f "$tmp" "$CP_FILE"
echo "fetch.sh: classpath written to $CP_FILE" >&2
