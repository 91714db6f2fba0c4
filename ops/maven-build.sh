#!/usr/bin/env bash
# Builds one of our small Maven launchers (ops/neo4j, ops/helm/launcher) when it is missing or out of date;
# a no-op otherwise. Usage: ops/maven-build.sh <project dir> <label for the log line>.
set -euo pipefail
dir="$(cd "$1" && pwd)"
label="$2"
stamp="$dir/target/.build-stamp"

stale() {
  [[ ! -d "$dir/target/lib" || ! -f "$stamp" ]] ||
    [[ -n "$(find "$dir/pom.xml" "$dir/src" -newer "$stamp" -print -quit)" ]]
}

# Build on first use, or when pom.xml or the sources changed. The lock (on pom.xml) keeps two
# concurrent starts from building over each other. 'clean' (drops jars of replaced versions)
# only when pom.xml changed, so a source edit leaves target/lib alone under running processes.
if stale; then
  (
    command -v flock >/dev/null && flock 9
    if stale; then
      goals=package
      [[ ! -f "$stamp" || "$dir/pom.xml" -nt "$stamp" ]] && goals="clean package"
      echo "$label: building $dir ($goals) ..." >&2
      mvn -B -q -f "$dir/pom.xml" $goals -DskipTests >&2
      touch "$stamp"
    fi
  ) 9<"$dir/pom.xml"
fi
