// "Rotate selected": several keys rotated one after another — each planned first (a key whose
// plan is refused is listed with the reason and left out), then the planned ones run in turn;
// a rotation that fails or stops is listed and the rest go on. Pure of the UI: the dialog
// passes the backend calls and re-renders on each update.
import type { KeyRow } from './keys';
import type { Plan, RotationReport } from './types';

export type BatchStatus = 'waiting' | 'planned' | 'refused' | 'running' | 'rotated' | 'stopped' | 'failed';

export interface BatchItem {
  row: KeyRow;
  status: BatchStatus;
  /** The new key's name once planned; the reason when refused, stopped or failed; the result. */
  detail: string;
  /** The held secret of the new key, when there is one. */
  handle: string | null;
}

export function batch(rows: KeyRow[]): BatchItem[] {
  return rows.map((row) => ({ row, status: 'waiting', detail: '', handle: null }));
}

type Update = (index: number, item: BatchItem) => void;

function message(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Plan each key in turn; a refusal marks that key only. */
export async function planEach(items: BatchItem[], plan: (row: KeyRow) => Promise<Plan>, update: Update): Promise<void> {
  for (const [i, item] of items.entries()) {
    try {
      const p = await plan(item.row);
      update(i, { ...item, status: 'planned', detail: p.spec.name ?? p.spec.description ?? '', handle: null });
    } catch (e) {
      update(i, { ...item, status: 'refused', detail: message(e), handle: null });
    }
  }
}

/** Rotate the planned keys in turn; a failure is listed and the next one goes on. */
export async function runEach(
  items: BatchItem[],
  run: (row: KeyRow) => Promise<RotationReport>,
  update: Update,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    if (item.status !== 'planned') continue;
    update(i, { ...item, status: 'running' });
    try {
      const report = await run(item.row);
      const ok = report.step === 'done' && !report.failure;
      update(i, {
        ...item,
        status: ok ? 'rotated' : 'stopped',
        detail: report.summary,
        handle: report.secret?.handle ?? null,
      });
    } catch (e) {
      update(i, { ...item, status: 'failed', detail: message(e) });
    }
  }
}

/** How far the run is: keys finished (rotated, stopped or failed) of those planned to run. */
export function progress(items: BatchItem[]): { done: number; total: number } {
  const ran = items.filter((i) => ['rotated', 'stopped', 'failed'].includes(i.status)).length;
  const total = items.filter((i) => ['planned', 'running', 'rotated', 'stopped', 'failed'].includes(i.status)).length;
  return { done: ran, total };
}

/** "3 rotated, 1 failed, 1 could not be planned". */
export function summary(items: BatchItem[]): string {
  const count = (...s: BatchStatus[]) => items.filter((i) => s.includes(i.status)).length;
  const parts = [`${count('rotated')} rotated`];
  const failed = count('stopped', 'failed');
  if (failed) parts.push(`${failed} failed`);
  const refused = count('refused');
  if (refused) parts.push(`${refused} could not be planned`);
  return parts.join(', ');
}
