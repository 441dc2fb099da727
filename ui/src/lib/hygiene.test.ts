import { describe, expect, it } from 'vitest';
import { account, key, VENDORS } from '../test/fixtures';
import {
  actionLabel,
  ageHistogram,
  ageRange,
  dayBound,
  DAY,
  describeReason,
  entrySubject,
  expiryDayRange,
  expiryMarks,
  vendorBars,
} from './hygiene';
import { filterRows, NO_FILTER, toRow } from './keys';
import type { AuditEntry, KeyRecord } from './types';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const ibm = account('ibm');
const cf = account('codefresh');

function row(record: KeyRecord) {
  const name = VENDORS.find((v) => v.vendor === record.vendor)?.name ?? record.vendor;
  return toRow(record, record.vendor === 'ibm' ? ibm : cf, name, NOW);
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('describeReason', () => {
  it('says what is wrong the way a person would', () => {
    expect(describeReason({ kind: 'expiring', at: iso(NOW + 3 * DAY), days_left: 3, within_days: 14 }, NOW)).toBe(
      'expires in 3 days',
    );
    expect(describeReason({ kind: 'expiring', at: iso(NOW + DAY), days_left: 1, within_days: 14 }, NOW)).toBe('expires tomorrow');
    expect(describeReason({ kind: 'expiring', at: iso(NOW + 3600_000), days_left: 0, within_days: 14 }, NOW)).toBe('expires today');
    expect(describeReason({ kind: 'expired', at: iso(NOW - 5 * DAY) }, NOW)).toBe('expired 5 days ago');
    expect(describeReason({ kind: 'old', created_at: iso(NOW - 240 * DAY), age_days: 240, older_than_days: 90 }, NOW)).toBe(
      '240 days old',
    );
    expect(
      describeReason({ kind: 'unused', last_used_at: '2026-05-02T10:00:00Z', idle_days: 44, unused_for_days: 30 }, NOW),
    ).toBe('unused since May');
    expect(
      describeReason({ kind: 'unused', last_used_at: '2025-11-02T10:00:00Z', idle_days: 225, unused_for_days: 30 }, NOW),
    ).toBe('unused since November 2025');
    expect(describeReason({ kind: 'unused', last_used_at: null, idle_days: 120, unused_for_days: 90 }, NOW)).toBe(
      'never used in its 120 days',
    );
  });
});

describe('overview data', () => {
  const rows = [
    row(key('ibm', ibm.id, 'a', { created_at: iso(NOW - 10 * DAY) })),
    row(key('ibm', ibm.id, 'b', { created_at: iso(NOW - 100 * DAY), status: 'disabled' })),
    row(key('ibm', ibm.id, 'c', { created_at: iso(NOW - 400 * DAY), expires_at: iso(NOW - DAY) })),
    row(key('codefresh', cf.id, 'd', { created_at: iso(NOW - 800 * DAY), expires_at: iso(NOW + 3 * DAY + 3600_000) })),
    row(key('codefresh', cf.id, 'e', { created_at: null, expires_at: iso(NOW + 3 * DAY + 7200_000) })),
    row(key('codefresh', cf.id, 'f', { expires_at: iso(NOW + 120 * DAY) })),
  ];

  it('counts keys per vendor and status, expired over the vendor status', () => {
    const bars = vendorBars(rows);
    expect(bars.map((b) => [b.vendor, b.total])).toEqual([
      ['ibm', 3],
      ['codefresh', 3],
    ]);
    const ibmCounts = Object.fromEntries(bars[0].counts.map((c) => [c.status, c.count]));
    expect(ibmCounts).toEqual({ active: 1, disabled: 1, inactive: 0, expired: 1 });
  });

  it('puts each key with a creation date in one age bucket', () => {
    const ages = ageHistogram(rows, NOW);
    expect(ages.map((b) => `${b.label}:${b.count}`)).toEqual(['0–30d:1', '30–90d:0', '90–180d:2', '180–365d:0', '365–730d:1', '2y+:1']);
    // The bucket's range filters the list to exactly its keys.
    const bucket = ages.find((b) => b.label === '90–180d')!;
    const shown = filterRows(rows, { ...NO_FILTER, range: ageRange(bucket, NOW) }, NOW);
    expect(shown.map((r) => r.record.id)).toEqual(['b', 'f']);
    const oldest = filterRows(rows, { ...NO_FILTER, range: ageRange(ages[5], NOW) }, NOW);
    expect(oldest.map((r) => r.record.id)).toEqual(['d']);
  });

  it('marks the next 90 days of expiries, stacking keys of the same day', () => {
    const marks = expiryMarks(rows, NOW, 90);
    expect(marks.map((m) => [m.row.record.id, m.day, m.level])).toEqual([
      ['d', 3, 0],
      ['e', 3, 1],
    ]);
    const range = expiryDayRange(3, NOW);
    const shown = filterRows(rows, { ...NO_FILTER, range }, NOW);
    expect(shown.map((r) => r.record.id)).toEqual(['d', 'e']);
    expect(range.label).toMatch(/^Expires Jun 18$/);
  });
});

describe('activity helpers', () => {
  const entry: AuditEntry = {
    time: '2026-06-15T10:00:00Z',
    user: 'ann',
    action: 'secret_reveal',
    account_id: 'sandbox-ibm',
    account_name: 'IBM Cloud (Sandbox)',
    vendor: 'ibm',
    key_id: 'ApiKey-1',
    key_name: 'deploy',
    outcome: { result: 'ok' },
    request_id: null,
    detail: null,
  };

  it('labels actions and names what an entry was about', () => {
    expect(actionLabel('key_create')).toBe('Created');
    expect(actionLabel('config_append')).toBe('Added to OCI config');
    expect(entrySubject(entry)).toBe('deploy (ApiKey-1)');
    expect(entrySubject({ ...entry, key_id: null, key_name: null })).toBe('IBM Cloud (Sandbox)');
  });

  it('turns date inputs into the start and end of that local day', () => {
    const from = dayBound('2026-06-01', false)!;
    const to = dayBound('2026-06-01', true)!;
    expect(new Date(from).getDate()).toBe(1);
    expect(new Date(from).getHours()).toBe(0);
    expect(Date.parse(to) - Date.parse(from)).toBe(DAY - 1);
    expect(dayBound('', false)).toBeNull();
  });
});
