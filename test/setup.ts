// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions 3 uses.
import '../src/platform/polyfills.ts';

// Handlers run in process in the tests: no Powertools log lines or EMF metrics on the console.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// No test may reach a network model, whatever the developer's shell exports: LLM mode is off unless a test turns
// it on itself, over mocked clients or a loopback server.
delete process.env.SRE_AGENT_LLM;
