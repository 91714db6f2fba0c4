#!/usr/bin/env bash
# Local Neo4j 5.26 community + APOC core for dev and tests: embedded, Bolt only, no auth, no TLS.
# Stdout: "NEO4J_READY bolt://host:port" once it accepts connections; SIGTERM/SIGINT stop it
# cleanly and print "NEO4J_STOPPED". Logs go to $NEO4J_HOME_DIR/logs (build output to stderr).
#
# Env (all optional):
#   NEO4J_BOLT_LISTEN  127.0.0.1:7687             NEO4J_HEAP        512m (-Xmx)
#   NEO4J_HOME_DIR     ops/neo4j/.data            NEO4J_PAGECACHE   64m
#   NEO4J_PLUGIN_DIR   ops/neo4j/target/plugins   NEO4J_TX_TIMEOUT  120 (seconds)
# Relative paths are taken from the caller's current directory.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$dir/build.sh"

plugins="${NEO4J_PLUGIN_DIR:-$dir/target/plugins}"
export NEO4J_PLUGIN_DIR="$plugins"
# APOC must also be on the classpath: its extensions (apoc.ApocConfig, ...) are found by
# ServiceLoader there, while its procedures are loaded from the plugin dir. Neo4j's own
# launcher does the same (plugins/* on the classpath).
# shellcheck disable=SC2046  # one JVM flag per line in jvm.options
exec java $(cat "$dir/jvm.options") -Xmx"${NEO4J_HEAP:-512m}" \
  -cp "$dir/target/classes:$dir/target/lib/*:$plugins/*" org.aiorg.neo4j.Launcher
