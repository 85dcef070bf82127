/** The fine-tune wizard's steps, in order; the current one is kept in the URL (`/train?step=layers`). */

/** A step of the wizard. */
export type StepId = 'data' | 'base' | 'layers' | 'settings' | 'train' | 'evaluate' | 'export';

/** What a step's marker shows: done, needs attention, busy (a job runs), or nothing. */
export type StepMark = 'ok' | 'problem' | 'busy' | null;

/** Each step with its title, in order. */
export const STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'data', title: 'Data' },
  { id: 'base', title: 'Base model' },
  { id: 'layers', title: 'Layers' },
  { id: 'settings', title: 'Settings' },
  { id: 'train', title: 'Train' },
  { id: 'evaluate', title: 'Evaluate' },
  { id: 'export', title: 'Export' },
];

/** Steps that set up a run (where the Train button shows). */
export const SETUP_STEPS: readonly StepId[] = ['data', 'base', 'layers', 'settings'];

/** The step a URL query names, or the first step. */
export function stepFromQuery(value: unknown): StepId {
  const id = Array.isArray(value) ? value[0] : value;
  return STEPS.find((s) => s.id === id)?.id ?? 'data';
}

/** The step `delta` places after (or before) `step`, staying in range. */
export function stepAfter(step: StepId, delta: number): StepId {
  const at = STEPS.findIndex((s) => s.id === step);
  return STEPS[Math.min(STEPS.length - 1, Math.max(0, at + delta))]!.id;
}
