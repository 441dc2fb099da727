import { describe, expect, it } from 'vitest';
import { account, key, manyKeys } from '../test/fixtures';
import {
  badgesOf,
  displayName,
  expiringSoon,
  filterRows,
  NO_FILTER,
  ownerKindLabel,
  sortRows,
  toggleSort,
  toRow,
  type KeyFilter,
  type KeyRow,
} from './keys';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const ACCOUNTS = [account('ibm'), account('scaleway'), account('oci'), account('openai'), account('codefresh')];

function rowsOf(n: number): KeyRow[] {
  return manyKeys(n, ACCOUNTS, NOW).map((k) =>
    toRow(k, ACCOUNTS.find((a) => a.id === k.account), k.vendor.toUpperCase(), NOW),
  );
}

const f = (over: Partial<KeyFilter>): KeyFilter => ({ ...NO_FILTER, ...over });

describe('rows', () => {
  it('names a key by its name, else its description, else its id', () => {
    expect(displayName(key('ibm', 'a', 'K1', { name: 'deploy' }))).toBe('deploy');
    expect(displayName(key('scaleway', 'a', 'SCW1', { name: null, description: 'backup' }))).toBe('backup');
    expect(displayName(key('oci', 'a', 'aa:bb', { name: null, description: null }))).toBe('aa:bb');
  });

  it('badges the status, locked, and a passed expiry as expired', () => {
    expect(badgesOf(key('ibm', 'a', 'K', { locked: true }), NOW)).toEqual(['active', 'locked']);
    expect(badgesOf(key('ibm', 'a', 'K', { status: 'disabled' }), NOW)).toEqual(['disabled']);
    const past = new Date(NOW - DAY).toISOString();
    expect(badgesOf(key('ibm', 'a', 'K', { expires_at: past }), NOW)).toEqual(['expired']);
    expect(badgesOf(key('oci', 'a', 'K', { status: 'inactive' }), NOW)).toEqual(['inactive']);
  });

  it('marks rows of sandbox accounts', () => {
    const [row] = rowsOf(1);
    expect(row.sandbox).toBe(true);
    expect(row.accountName).toBe('IBM Cloud (Sandbox)');
  });
});

describe('filterRows over 10,000 keys', () => {
  const rows = rowsOf(10_000);

  it('searches name, id, owner and description, every word, ignoring case', () => {
    expect(filterRows(rows, f({ query: 'K-04242' }), NOW).map((r) => r.record.id)).toEqual(['K-04242']);
    const byDescription = filterRows(rows, f({ query: 'BILLING export' }), NOW);
    expect(byDescription).toHaveLength(1000);
    expect(byDescription.every((r) => r.record.description?.startsWith('billing export'))).toBe(true);
    const byOwner = filterRows(rows, f({ query: 'USER-12' }), NOW);
    expect(byOwner).toHaveLength(rows.filter((r) => r.record.owner?.id === 'user-12').length);
    expect(byOwner.every((r) => r.ownerLabel === 'Owner 12')).toBe(true);
    // Words may match different fields: the name ("key 4242") and the owner ("user-4").
    expect(filterRows(rows, f({ query: ' key 4242  user-4 ' }), NOW).map((r) => r.record.id)).toEqual(['K-04242']);
    expect(filterRows(rows, f({ query: 'nothing-like-this' }), NOW)).toEqual([]);
  });

  it('filters by vendor, account and status', () => {
    const oci = filterRows(rows, f({ vendor: 'oci' }), NOW);
    expect(oci).toHaveLength(2000);
    expect(oci.every((r) => r.vendor === 'oci')).toBe(true);
    expect(filterRows(rows, f({ account: 'sandbox-openai' }), NOW)).toHaveLength(2000);
    const locked = filterRows(rows, f({ status: 'locked' }), NOW);
    expect(locked).toHaveLength(Math.ceil(10_000 / 23));
    const disabled = filterRows(rows, f({ status: 'disabled' }), NOW);
    expect(disabled.every((r) => r.record.status === 'disabled')).toBe(true);
    expect(filterRows(rows, f({ status: 'expired' }), NOW).every((r) => (r.expiresMs ?? Infinity) <= NOW)).toBe(true);
  });

  it('keeps keys expiring within N days, not expired or later ones', () => {
    const soon = filterRows(rows, f({ expiringWithinDays: 7 }), NOW);
    expect(soon.length).toBeGreaterThan(0);
    for (const r of soon) {
      expect(r.expiresMs).not.toBeNull();
      expect(r.expiresMs! > NOW && r.expiresMs! <= NOW + 7 * DAY).toBe(true);
      expect(expiringSoon(r, 7, NOW)).toBe(true);
    }
    const all = rows.filter((r) => expiringSoon(r, 7, NOW));
    expect(soon).toHaveLength(all.length);
  });

  it('filters by the owner\'s kind', () => {
    const kinds = filterRows(rows, f({ ownerKind: 'service_id' }), NOW);
    expect(kinds.every((r) => r.record.owner?.kind === 'service_id')).toBe(true);
    expect(kinds.length).toBe(rows.filter((r) => r.record.owner?.kind === 'service_id').length);
  });

  it('says the owner\'s kind when it is not a user, and finds keys by it', () => {
    const bot = key('codefresh', 'a', 'su1/k1', { owner: { kind: 'service_account', id: 'su1', name: 'ci-bot' } });
    const own = key('codefresh', 'a', 'k2', { owner: { kind: 'user', id: 'u1', name: null } });
    const runner = key('codefresh', 'a', 'k3', { owner: { kind: 'other', id: 'c/ns', name: 'runtime-environment' } });
    expect(ownerKindLabel(bot)).toBe('Service account');
    expect(ownerKindLabel(own)).toBe('');
    expect(ownerKindLabel(runner)).toBe('');
    const rows = [bot, own, runner].map((k) => toRow(k, undefined, 'Codefresh', NOW));
    expect(rows.map((r) => [r.ownerLabel, r.ownerKind])).toEqual([
      ['ci-bot', 'Service account'],
      ['u1', ''],
      ['runtime-environment', ''],
    ]);
    expect(filterRows(rows, f({ query: 'service account' }), NOW).map((r) => r.record.id)).toEqual(['su1/k1']);
    expect(filterRows(rows, f({ ownerKind: 'service_account' }), NOW).map((r) => r.record.id)).toEqual(['su1/k1']);
  });

  it('filters Scaleway keys by bearer type and by a passed expiry', () => {
    const past = new Date(NOW - DAY).toISOString();
    const later = new Date(NOW + 30 * DAY).toISOString();
    const keys = [
      key('scaleway', 's', 'SCWUSER', { owner: { kind: 'user', id: 'u', name: null }, expires_at: later }),
      key('scaleway', 's', 'SCWAPP1', { owner: { kind: 'application', id: 'a1', name: 'ci' }, expires_at: past }),
      key('scaleway', 's', 'SCWAPP2', { owner: { kind: 'application', id: 'a2', name: 'ops' }, expires_at: null }),
    ];
    const rows = keys.map((k) => toRow(k, undefined, 'Scaleway', NOW));
    const ids = (over: Partial<KeyFilter>) => filterRows(rows, f(over), NOW).map((r) => r.record.id);
    expect(ids({ ownerKind: 'application' })).toEqual(['SCWAPP1', 'SCWAPP2']);
    expect(ids({ ownerKind: 'user' })).toEqual(['SCWUSER']);
    // Expired as soon as the date passed, even before the vendor says so.
    expect(ids({ status: 'expired' })).toEqual(['SCWAPP1']);
    expect(ids({ ownerKind: 'application', status: 'active' })).toEqual(['SCWAPP2']);
  });

  it('combines filters and stays fast', () => {
    const start = performance.now();
    const out = filterRows(rows, f({ query: 'service', vendor: 'ibm', status: 'active', expiringWithinDays: 30 }), NOW);
    const sorted = sortRows(out, { column: 'expires', descending: false });
    expect(performance.now() - start).toBeLessThan(250);
    expect(sorted.every((r) => r.vendor === 'ibm' && r.badges.includes('active'))).toBe(true);
  });
});

describe('sortRows', () => {
  const rows = rowsOf(10_000);

  it('sorts by any column, both directions', () => {
    const byCreated = sortRows(rows, { column: 'created', descending: false });
    for (let i = 1; i < byCreated.length; i++) expect(byCreated[i - 1].createdMs! <= byCreated[i].createdMs!).toBe(true);
    const byId = sortRows(rows, { column: 'id', descending: true });
    expect(byId[0].record.id).toBe('K-09999');
    expect(byId[9999].record.id).toBe('K-00000');
    const byName = sortRows(rows, { column: 'name', descending: false });
    // Natural order: "service 2 …" before "service 10 …".
    expect(byName[0].name.startsWith('service 0 ')).toBe(true);
    const byVendor = sortRows(rows, { column: 'vendor', descending: false });
    expect(byVendor[0].vendorName).toBe('CODEFRESH');
  });

  it('puts keys without the value last in either direction', () => {
    for (const descending of [false, true]) {
      const sorted = sortRows(rows, { column: 'expires', descending });
      const firstMissing = sorted.findIndex((r) => r.expiresMs === null);
      expect(firstMissing).toBe(2000);
      expect(sorted.slice(firstMissing).every((r) => r.expiresMs === null)).toBe(true);
    }
  });

  it('sorts 10,000 rows quickly and leaves its input alone', () => {
    const before = rows.map((r) => r.uid);
    const start = performance.now();
    sortRows(rows, { column: 'owner', descending: true });
    expect(performance.now() - start).toBeLessThan(500);
    expect(rows.map((r) => r.uid)).toEqual(before);
  });

  it('flips the direction on a second click of the same column', () => {
    expect(toggleSort({ column: 'name', descending: false }, 'name')).toEqual({ column: 'name', descending: true });
    expect(toggleSort({ column: 'name', descending: true }, 'expires')).toEqual({ column: 'expires', descending: false });
  });
});
