/** The runbooks tool backend: one implementation per operation of openapi/runbooks.yaml. */
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import type { ToolBackend } from '../invoke.ts';
import { getEscalationProcedures } from './escalation.ts';
import { getIncidentPlaybook, getRunbook } from './playbook.ts';
import { getCommonResolutions } from './resolutions.ts';
import { searchRunbooks } from './search.ts';
import { getTroubleshootingGuide } from './troubleshooting.ts';

export const runbooksBackend: ToolBackend<RunbooksProvider> = {
  backend: 'runbooks',
  operations: {
    search_runbooks: searchRunbooks,
    get_incident_playbook: getIncidentPlaybook,
    get_troubleshooting_guide: getTroubleshootingGuide,
    get_escalation_procedures: getEscalationProcedures,
    get_common_resolutions: getCommonResolutions,
    get_runbook: getRunbook,
  },
};
