/** Runbook analysis: parsing files, reading sections and procedures, and ranked retrieval. Pure. */
export { type RunbookFile, type ParsedRunbook, buildRunbookLibrary, parseRunbookFile, splitFrontMatter } from './document.ts';
export { type RunbookSection, type SectionKind, SECTION_KINDS, parseSections, sectionKind } from './sections.ts';
export {
  type EscalationContact,
  type EscalationLevel,
  escalationChain,
  frontMatterContacts,
  sectionCommands,
  sectionEntries,
  sectionSteps,
  stepAction,
  stepCommand,
} from './procedure.ts';
export { type AnalyzedRunbook, analyzeRunbook } from './analyze.ts';
export { type RankQuery, type RankedRunbook, type ScoreBreakdown, RunbookIndex, WEIGHTS, excerpt } from './rank.ts';
export * from './mapping.ts';
export { terms, stem } from './text.ts';
