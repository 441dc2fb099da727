import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, cb: (e: { payload: unknown }) => void) => h.b.listen(event, cb),
}));

import { resetStores, settle } from '../test/app';
import { backend } from '../test/backend';
import { account, key, VENDORS } from '../test/fixtures';
import { own } from './echo';
import { eventHandlers, RELIST_DELAY_MS, routeEvents } from './eventRoutes';
import type { EventPayloads } from './events';
import { inventory } from './inventory.svelte';
import { rowUid } from './keys';
import { reveal } from './reveal.svelte';
import { toaster } from './toasts.svelte';
import { ui } from './ui.svelte';

const ibm = account('ibm');
const cf = account('codefresh');
const EVENTS: (keyof EventPayloads)[] = [
  'inventory-progress',
  'accounts-changed',
  'keys-changed',
  'secrets-changed',
  'clipboard-cleared',
  'tray-action',
];

function listening(): string[] {
  return Object.entries(h.b.listeners)
    .filter(([, cbs]) => cbs.length > 0)
    .map(([event]) => event)
    .sort();
}

beforeEach(() => {
  resetStores();
  h.b = backend({ accounts: [ibm, cf], keys: { [ibm.id]: [key('ibm', ibm.id, 'A')], [cf.id]: [key('codefresh', cf.id, 'C')] } });
  inventory.vendors = VENDORS;
  inventory.setAccounts([ibm, cf]);
});

describe('routeEvents', () => {
  it('listens to every backend event until stopped', async () => {
    const stop = routeEvents();
    await settle();
    expect(listening()).toEqual([...EVENTS].sort());
    stop();
    expect(listening()).toEqual([]);
  });

  it('stops listening even when stopped before the subscriptions were in place', async () => {
    const stop = routeEvents();
    stop();
    await settle();
    expect(listening()).toEqual([]);
  });

  it('routes an emitted event to its handler', async () => {
    const stop = routeEvents();
    await settle();
    inventory.refreshing = true;
    h.b.emit('inventory-progress', { done: 1, total: 2, accountId: ibm.id, ok: true });
    expect(inventory.progress).toEqual({ done: 1, total: 2 });
    stop();
  });
});

describe('keys-changed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-lists once after a burst of changes made elsewhere', async () => {
    const { handlers } = eventHandlers();
    handlers['keys-changed'](null);
    await vi.advanceTimersByTimeAsync(RELIST_DELAY_MS - 1);
    handlers['keys-changed'](null);
    await vi.advanceTimersByTimeAsync(RELIST_DELAY_MS - 1);
    expect(h.b.called('keys_list')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.b.called('keys_list')).toHaveLength(1);
  });

  it('ignores the echo of a change this window made itself', async () => {
    const { handlers } = eventHandlers();
    await own(async () => handlers['keys-changed'](null));
    handlers['keys-changed'](null);
    await vi.advanceTimersByTimeAsync(RELIST_DELAY_MS);
    expect(h.b.called('keys_list')).toEqual([]);
  });

  it('does not start a second listing while one runs, nor after being cancelled', async () => {
    const { handlers, cancel } = eventHandlers();
    inventory.refreshing = true;
    handlers['keys-changed'](null);
    await vi.advanceTimersByTimeAsync(RELIST_DELAY_MS);
    inventory.refreshing = false;
    handlers['keys-changed'](null);
    cancel();
    await vi.advanceTimersByTimeAsync(RELIST_DELAY_MS);
    expect(h.b.called('keys_list')).toEqual([]);
  });
});

describe('events', () => {
  const { handlers } = eventHandlers();

  it('accounts-changed reads the accounts again and lists them', async () => {
    h.b.accounts = [ibm];
    handlers['accounts-changed'](null);
    await settle();
    expect(inventory.accounts.map((a) => a.id)).toEqual([ibm.id]);
    expect(h.b.called('keys_list')).toHaveLength(1);
  });

  it('secrets-changed re-reads the held secrets without opening the panel', async () => {
    h.b.pending = [{ handle: 'sec_1', record: key('ibm', ibm.id, 'A'), hint: '••••', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false }];
    handlers['secrets-changed'](null);
    await settle();
    expect(reveal.pending.map((p) => p.handle)).toEqual(['sec_1']);
    expect(reveal.open).toBe(false);
  });

  it('clipboard-cleared ends the countdown, or says the clipboard was left alone', () => {
    reveal.copiedHandle = 'sec_1';
    reveal.clearsAt = Date.now() + 1000;
    handlers['clipboard-cleared']({ handle: 'sec_1', cleared: false });
    expect(reveal.clearsAt).toBeNull();
    expect(reveal.leftAlone).toBe(true);
  });
});

describe('tray actions', () => {
  const { handlers } = eventHandlers();
  const tray = handlers['tray-action'];

  it('refresh lists every account', async () => {
    tray({ action: 'refresh' });
    await settle();
    expect(h.b.called('keys_list')).toHaveLength(1);
  });

  it('new-key opens the form on the account, saying why the tray could not create it', () => {
    const error = { code: 'validation', message: 'A name is required', field: 'name', retry_after_secs: null, vendor: null, recovered: null } as const;
    tray({ action: 'new-key', accountId: cf.id, error });
    expect(ui.dialog).toEqual({ kind: 'create', accountId: cf.id });
    expect(toaster.items.map((t) => [t.kind, t.message])).toEqual([['error', 'A name is required']]);
  });

  it('open-reveal shows the held secret, with its key in the list', async () => {
    const record = key('codefresh', cf.id, 'made-by-tray');
    h.b.pending = [
      { handle: 'sec_0', record: key('ibm', ibm.id, 'A'), hint: '••••', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false },
      { handle: 'sec_1', record, hint: '••••', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false },
    ];
    tray({ action: 'open-reveal', handle: 'sec_1' });
    await settle();
    expect(reveal.handle).toBe('sec_1');
    expect(inventory.row(rowUid(cf.id, 'made-by-tray'))).toBeDefined();
  });

  it('open-reveal says so when the held secrets cannot be read', async () => {
    h.b.failures.secrets_pending = [{ code: 'internal', message: 'keychain locked' }];
    tray({ action: 'open-reveal', handle: 'sec_1' });
    await settle();
    expect(toaster.items.map((t) => t.message)).toEqual(['Could not read the unsaved keys: keychain locked']);
    expect(reveal.open).toBe(false);
  });

  it('select-key selects the key, clearing a filter that hides it', async () => {
    await inventory.refresh();
    ui.filter.account = ibm.id;
    tray({ action: 'select-key', accountId: cf.id, keyId: 'C' });
    expect(ui.filter.account).toBeNull();
    expect(ui.selected).toBe(rowUid(cf.id, 'C'));
  });

  it('select-key with an error (a tray delete that failed) says why and shows the key', async () => {
    await inventory.refresh();
    const error = { code: 'forbidden', message: 'the vendor refused the delete', field: null, retry_after_secs: null, vendor: null, recovered: null } as const;
    tray({ action: 'select-key', accountId: cf.id, keyId: 'C', error });
    expect(toaster.items.map((t) => [t.kind, t.message])).toEqual([['error', 'the vendor refused the delete']]);
    expect(ui.selected).toBe(rowUid(cf.id, 'C'));
  });
});
