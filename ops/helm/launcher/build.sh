#!/usr/bin/env bash
# Builds the Helm launcher (ops/helm/launcher) with Maven when it is missing or out of date; a no-op
# otherwise. run.sh calls it before every run; CI calls it to prove Java and Maven can build it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../maven-build.sh" "$here" "helm launcher"
