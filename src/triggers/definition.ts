/**
 * What the trigger runtime reads of a trigger's contract (`manifest.triggers`, generated from
 * `triggers/<key>/trigger.json`, typed in src/manifest/manifest.ts): the event types it covers, the
 * conditions and filters that decide whether an event starts it, and the convenience fields (subjects)
 * its output carries.
 */
export type {
  TriggerContract as TriggerDefinition,
  TriggerFilter as FilterRule,
  TriggerSubject as SubjectSource,
  TriggerSubjectName as SubjectName,
} from '../manifest/manifest.js';
