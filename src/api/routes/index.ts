/** Every route bound to its core: what the dev server serves. Each Lambda binds only its own (lambdas/api/*). */
import { type Route, route } from '../router.ts';
import { getInvestigation } from './get-investigation.ts';
import { getReport } from './get-report.ts';
import { listInvestigations } from './list-investigations.ts';
import { getPreferences, putPreferences } from './preferences.ts';
import { startInvestigation } from './start-investigation.ts';

export const ROUTES: readonly Route[] = [
  route('startInvestigation', startInvestigation),
  route('listInvestigations', listInvestigations),
  route('getInvestigation', getInvestigation),
  route('getReport', getReport),
  route('getPreferences', getPreferences),
  route('putPreferences', putPreferences),
];
