import { describe, expect, it } from 'vitest';
import { account, CAPS, key } from '../test/fixtures';
import { toRow } from './keys';
import { batch, planEach, progress, runEach, summary, type BatchItem } from './rotateMany';
import type { Plan, RotationReport } from './types';

const ibm = account('ibm');
const rows = ['a', 'b', 'c'].map((id) => toRow(key('ibm', ibm.id, id, { name: id }), ibm, CAPS.ibm.vendor_name, Date.now()));

function plan(name: string): Plan {
  return { spec: { name } } as unknown as Plan;
}

function report(id: string, ok: boolean): RotationReport {
  return {
    step: ok ? 'done' : 'verify',
    failure: ok ? null : { step: 'verify', code: 'unauthorized', message: 'rejected' },
    summary: ok ? `Rotated ${id}` : `Stopped at verify (${id})`,
    secret: { handle: `sec_${id}` },
  } as unknown as RotationReport;
}

describe('rotateMany', () => {
  it('plans each key in order; a refusal marks only that key', async () => {
    const items = batch(rows);
    const seen: string[] = [];
    await planEach(
      items,
      async (row) => {
        seen.push(row.record.id);
        if (row.record.id === 'b') throw { code: 'validation', message: 'cannot disable' };
        return plan(`${row.record.id}-rotated`);
      },
      (i, item) => (items[i] = item),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(items.map((i) => [i.status, i.detail])).toEqual([
      ['planned', 'a-rotated'],
      ['refused', 'cannot disable'],
      ['planned', 'c-rotated'],
    ]);
    expect(progress(items)).toEqual({ done: 0, total: 2 });
  });

  it('runs the planned keys one at a time; failures are listed and the rest go on', async () => {
    const items: BatchItem[] = batch(rows).map((i) => ({ ...i, status: i.row.record.id === 'b' ? 'refused' : 'planned' }));
    items.push({ ...batch(rows)[0], row: { ...rows[0], uid: 'x', record: { ...rows[0].record, id: 'd' } }, status: 'planned' });
    let running = 0;
    const order: string[] = [];
    await runEach(
      items,
      async (row) => {
        running++;
        expect(running).toBe(1);
        order.push(row.record.id);
        await Promise.resolve();
        running--;
        if (row.record.id === 'd') throw { code: 'network', message: 'offline' };
        return report(row.record.id, row.record.id === 'a');
      },
      (i, item) => (items[i] = item),
    );
    expect(order).toEqual(['a', 'c', 'd']);
    expect(items.map((i) => i.status)).toEqual(['rotated', 'refused', 'stopped', 'failed']);
    expect(items[0].handle).toBe('sec_a');
    expect(items[3].detail).toBe('offline');
    expect(progress(items)).toEqual({ done: 3, total: 3 });
    expect(summary(items)).toBe('1 rotated, 2 failed, 1 could not be planned');
  });
});
