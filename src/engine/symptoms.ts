/**
 * What the trigger complains about, from its words: an alarm's metric name, name and description, or a question.
 * Symptoms steer the plan (which signals matter) and relevance (a latency alarm is explained by what slows
 * things down). Word stems, not phrases, so new wordings still match.
 */
export const SYMPTOMS = [
  'errors',
  'latency',
  'availability',
  'restarts',
  'pending',
  'memory',
  'cpu',
  'disk',
  'traffic',
  'dns',
  'tls',
  'throttling',
  'deploy',
  'connections',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

const RULES: ReadonlyArray<[Symptom, RegExp]> = [
  ['errors', /\b(5xx|4xx|5\d\d|errors?|fail\w*|fault\w*|exceptions?|broken|500s?|503s?|502s?|crash\w*)\b|errorrate|error_rate|_5xx|5xx_/i],
  ['latency', /\b(latency|latencies|slow\w*|duration|response ?time|p9[59]|timeouts?|timing out|lag\w*|sluggish|hang\w*)\b|responsetime|targetresponsetime/i],
  ['availability', /\b(down|unavailable|outage|unreachable|availability|healthy ?host|running ?pods?|not ready|offline|no endpoints?|dead)\b|healthyhostcount|number_of_running/i],
  ['restarts', /\b(restart\w*|crash ?loop\w*|crashloopbackoff|keeps? (dying|crashing|restarting)|bouncing|flapping)\b|container_restarts/i],
  ['pending', /\b(pending|unschedul\w*|stuck|not (starting|scheduling)|won'?t start|scal\w* up|rollout|rolling out|not going out|capacity)\b/i],
  ['memory', /\b(memory|mem|oom\w*|heap|out of memory)\b|memory_utilization/i],
  ['cpu', /\b(cpu|throttl\w* cpu|processor|load average)\b|cpu_utilization/i],
  ['disk', /\b(disk|storage|volume|filesystem|space|full|pvc|inode\w*)\b|filesystem_utilization|freestoragespace/i],
  ['traffic', /\b(traffic|requests?|throughput|rps|qps|spike|surge|campaign|load)\b|requestcount/i],
  ['dns', /\b(dns|resolv\w*|name resolution|nxdomain|host ?name|lookup)\b/i],
  ['tls', /\b(tls|ssl|certs?|certificates?|x509|https handshake|expired)\b/i],
  ['throttling', /\b(throttl\w*|429|rate[- ]?limit\w*|quota|too many requests)\b|throttledrequests/i],
  ['deploy', /\b(deploy\w*|rollout|release|new version|upgrade\w*|image|revision)\b/i],
  ['connections', /\b(connections?|pool|database|db|postgres|mysql|redis|cache)\b|databaseconnections/i],
];

export function symptomsOf(text: string): Symptom[] {
  const out: Symptom[] = [];
  for (const [symptom, re] of RULES) if (re.test(text)) out.push(symptom);
  return out;
}
