#!/usr/bin/env bash
# Builds the Helm launcher (ops/helm/launcher) with Maven when it is missing or out of date; a no-op
# otherwise. run.sh calls it before every run; CI can call it to prove Java and Maven can build it.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stamp="$dir/target/.build-stamp"

stale() {
  [[ ! -d "$dir/target/lib" || ! -f "$stamp" ]] ||
    [[ -n "$(find "$dir/pom.xml" "$dir/src" -newer "$stamp" -print -quit)" ]]
}

# Build on first use, or when pom.xml or the sources changed. The lock (on pom.xml) keeps two
# concurrent runs from building over each other. 'clean' (drops jars of replaced versions)
# only when pom.xml changed, so a source edit leaves target/lib alone under running launchers.
if stale; then
  (
    command -v flock >/dev/null && flock 9
    if stale; then
      goals=package
      [[ ! -f "$stamp" || "$dir/pom.xml" -nt "$stamp" ]] && goals="clean package"
      echo "helm launcher: building $dir ($goals) ..." >&2
      mvn -B -q -f "$dir/pom.xml" $goals -DskipTests >&2
      touch "$stamp"
    fi
  ) 9<"$dir/pom.xml"
fi

