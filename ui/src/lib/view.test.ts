import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from '../test/app';
import { account, key, VENDORS } from '../test/fixtures';
import { inventory } from './inventory.svelte';
import { rowUid } from './keys';
import { prefs } from './prefs.svelte';
import { ui } from './ui.svelte';
import { CLOCK_MS, view } from './view.svelte';

const ibm = account('ibm');
const cf = account('codefresh');
const DAY = 86_400_000;

function load() {
  inventory.vendors = VENDORS;
  inventory.setAccounts([ibm, cf]);
  inventory.applyListing({
    accountId: ibm.id,
    keys: [key('ibm', ibm.id, 'B', { name: 'beta' }), key('ibm', ibm.id, 'A', { name: 'alpha' })],
  });
  inventory.applyListing({ accountId: cf.id, keys: [key('codefresh', cf.id, 'C', { name: 'gamma' })] });
}

describe('View', () => {
  beforeEach(() => {
    resetStores();
    load();
  });

  it('shows the rows filtered and sorted as the user asked', () => {
    expect(view.visible.map((r) => r.record.id)).toEqual(['A', 'B', 'C']);
    ui.filter.account = ibm.id;
    ui.sort = { column: 'name', descending: true };
    expect(view.visible.map((r) => r.record.id)).toEqual(['B', 'A']);
  });

  it('sorts once per listing: typing a search or moving the clock filters the sorted rows', () => {
    ui.sort = { column: 'name', descending: true };
    const sorted = view.sorted;
    expect(sorted.map((r) => r.record.id)).toEqual(['C', 'B', 'A']);
    ui.filter.query = 'a';
    expect(view.visible.map((r) => r.record.id)).toEqual(['C', 'B', 'A']);
    ui.filter.query = 'alp';
    view.now += CLOCK_MS;
    expect(view.visible.map((r) => r.record.id)).toEqual(['A']);
    expect(view.sorted).toBe(sorted);
    inventory.applyListing({ accountId: cf.id, keys: [key('codefresh', cf.id, 'Z', { name: 'zeta' })] });
    expect(view.sorted).not.toBe(sorted);
    expect(view.sorted.map((r) => r.record.id)).toEqual(['Z', 'B', 'A']);
  });

  it('follows the selection to its row', () => {
    expect(view.selectedRow).toBeUndefined();
    ui.select(rowUid(cf.id, 'C'));
    expect(view.selectedRow?.name).toBe('gamma');
  });

  it('counts the keys expiring within the preferred number of days', () => {
    inventory.upsert(key('ibm', ibm.id, 'D', { expires_at: new Date(Date.now() + 3 * DAY).toISOString() }));
    inventory.upsert(key('ibm', ibm.id, 'E', { expires_at: new Date(Date.now() + 20 * DAY).toISOString() }));
    expect(view.expiringCount).toBe(1);
    prefs.value = { ...prefs.value, expiring_soon_days: 30 };
    expect(view.expiringCount).toBe(2);
  });

  describe('openCreate', () => {
    it('creates in the account asked for, else the filtered one, else the selected key’s', () => {
      ui.select(rowUid(cf.id, 'C'));
      view.openCreate();
      expect(ui.dialog).toEqual({ kind: 'create', accountId: cf.id });
      ui.filter.account = ibm.id;
      view.openCreate();
      expect(ui.dialog).toEqual({ kind: 'create', accountId: ibm.id });
      view.openCreate('elsewhere');
      expect(ui.dialog).toEqual({ kind: 'create', accountId: 'elsewhere' });
    });

    it('leaves the account to the form when nothing points to one', () => {
      view.openCreate();
      expect(ui.dialog).toEqual({ kind: 'create', accountId: null });
    });

    it('opens the accounts dialog while there is no account to create in', () => {
      inventory.setAccounts([]);
      view.openCreate(ibm.id);
      expect(ui.dialog).toEqual({ kind: 'accounts' });
    });
  });

  it('selects a key, clearing only filters that hide it, and asks the table to scroll to it', () => {
    ui.filter.account = ibm.id;
    const reveals = ui.reveals;
    view.selectKey(ibm.id, 'A');
    expect(ui.filter.account).toBe(ibm.id);
    expect(ui.selected).toBe(rowUid(ibm.id, 'A'));
    view.selectKey(cf.id, 'C');
    expect(ui.filter.account).toBeNull();
    expect(ui.selected).toBe(rowUid(cf.id, 'C'));
    expect(ui.reveals).toBe(reveals + 2);
  });

  it('goes back to the key list, filtered afresh, when an overview bar is picked or a key opened', () => {
    ui.filter.query = 'alpha';
    view.page = 'overview';
    view.showRange({ vendor: 'codefresh', status: 'active' });
    expect(view.page).toBe('keys');
    expect(ui.filter.query).toBe('');
    expect(view.visible.map((r) => r.record.id)).toEqual(['C']);
    view.page = 'attention';
    view.selectKey(ibm.id, 'A');
    expect(view.page).toBe('keys');
    expect(ui.selected).toBe(rowUid(ibm.id, 'A'));
  });

  describe('clock', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('moves on until stopped', () => {
      const stop = view.startClock();
      vi.advanceTimersByTime(CLOCK_MS);
      const then = view.now;
      expect(then).toBe(Date.now());
      vi.advanceTimersByTime(CLOCK_MS);
      expect(view.now).toBe(then + CLOCK_MS);
      stop();
      vi.advanceTimersByTime(CLOCK_MS);
      expect(view.now).toBe(then + CLOCK_MS);
    });
  });
});
