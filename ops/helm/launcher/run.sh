#!/usr/bin/env bash
# `helm lint` and `helm template` without a helm binary or a cluster, through helm-java's native Helm.
#   ops/helm/launcher/run.sh lint     ops/helm/ai-org [-f ops/helm/values-production.yaml] [--set key=value]
#   ops/helm/launcher/run.sh template ops/helm/ai-org [-f ops/helm/values-production.yaml] [--set key=value]
# template prints the rendered YAML; lint prints Helm's messages. Exit 1 when the chart or its values fail
# (Helm's reason on stderr), 2 on a usage error. Builds the launcher with Maven on first use.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$dir/build.sh"
# helm-java unpacks its native library to java.io.tmpdir; C1 only and a small heap keep a one-shot JVM cheap.
exec java -Xmx256m -XX:TieredStopAtLevel=1 -cp "$dir/target/classes:$dir/target/lib/*" org.aiorg.helm.Launcher "$@"
