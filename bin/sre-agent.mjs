#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `sre-agent` works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on Node 20 about its future Node 22 requirement; this CLI supports Node 20 and says so itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The Lambda handlers run in this process for local work: keep their Powertools logs and EMF metrics off the
// console unless asked for (SRE_AGENT_DEBUG=1 or explicit POWERTOOLS_* settings).
if (!process.env.SRE_AGENT_DEBUG) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
