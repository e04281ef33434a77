// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions 3 uses.
import '../src/platform/polyfills.ts';

// Handlers run in process in the tests: no Powertools log lines or EMF metrics on the console.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
