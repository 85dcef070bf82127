/** What the data check offers to fix each problem and warning: assign splits, class weights, or a link to the images. */
import type { RouteLocationRaw } from 'vue-router';
import type { ClassInfo } from '../../../src-main/api/types/library';
import type { DatasetCheck } from '../../../src-main/api/types/runs';

/** One fix offered beside an issue. */
export type Fix = { kind: 'assign-splits' } | { kind: 'balanced-weights' } | { kind: 'link'; label: string; to: RouteLocationRaw };

/** An issue of the check as the list shows it. */
export interface CheckIssue {
  severity: 'problem' | 'warning';
  code: string;
  message: string;
  fixes: Fix[];
}

const labelClass = (c: ClassInfo): Fix => ({ kind: 'link', label: `Show "${c.name}"`, to: { path: '/label', query: { class: String(c.id) } } });
const labelUnlabelled: Fix = { kind: 'link', label: 'Label unlabelled photos', to: { path: '/label', query: { filter: 'unlabelled' } } };
const library: Fix = { kind: 'link', label: 'Open the Library', to: { path: '/library' } };

/** Classes whose quoted name the message mentions (the check quotes class names). */
function mentioned(message: string, classes: readonly ClassInfo[]): ClassInfo[] {
  return classes.filter((c) => message.includes(`"${c.name}"`));
}

/** Every problem, then every warning, each with its fixes. */
export function checkIssues(check: DatasetCheck, classes: readonly ClassInfo[]): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const more = check.unlabelled > 0 ? [labelUnlabelled] : [];
  for (const p of check.problems) {
    const fixes: Fix[] = [];
    if (p.code === 'no-splits' || p.code === 'empty-validation' || p.code === 'class-without-training-images') fixes.push({ kind: 'assign-splits' });
    if (p.code === 'class-without-training-images') fixes.push(...mentioned(p.message, classes).map(labelClass));
    if (p.code === 'too-few-classes') fixes.push(...more, { kind: 'link', label: 'Add classes in the Label view', to: { path: '/label' } });
    issues.push({ severity: 'problem', code: p.code, message: p.message, fixes });
  }
  const trainCounts = new Map(check.classes.map((c) => [c.name, c.train]));
  for (const w of check.warnings) {
    const fixes: Fix[] = [];
    if (w.code === 'tiny-class') fixes.push(...mentioned(w.message, classes).map(labelClass), ...more);
    if (w.code === 'imbalance') {
      fixes.push({ kind: 'balanced-weights' });
      const smallest = [...classes].filter((c) => (trainCounts.get(c.name) ?? 0) > 0).sort((a, b) => trainCounts.get(a.name)! - trainCounts.get(b.name)!)[0];
      if (smallest) fixes.push(labelClass(smallest));
    }
    if (w.code === 'unlabelled') fixes.push(labelUnlabelled);
    if (w.code === 'missing') fixes.push(library);
    issues.push({ severity: 'warning', code: w.code, message: w.message, fixes });
  }
  return issues;
}
