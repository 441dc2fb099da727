import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { resetStores, settle } from '../test/app';
import { backend } from '../test/backend';
import { account, key } from '../test/fixtures';
import { inventory } from './inventory.svelte';
import { prefs } from './prefs.svelte';
import { reveal } from './reveal.svelte';
import { accountChanged, reloadAccounts, start } from './startup';
import { toaster } from './toasts.svelte';
import type { AppInfo } from './types';

const ibm = account('ibm');
const cf = account('codefresh');

function errors(): string[] {
  return toaster.items.filter((t) => t.kind === 'error').map((t) => t.message);
}

describe('start', () => {
  beforeEach(() => {
    resetStores();
    document.documentElement.removeAttribute('data-theme');
  });

  it('loads vendors, preferences, accounts and unsaved keys, then lists the keys', async () => {
    const record = key('ibm', ibm.id, 'ApiKey-1');
    h.b = backend({
      accounts: [ibm],
      keys: { [ibm.id]: [record] },
      pending: [{ handle: 'sec_1', record, hint: '••••', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false }],
    });
    h.b.prefs = { ...h.b.prefs, theme: 'dark' };
    let info: AppInfo | null = null;
    await start((i) => (info = i));
    await settle();
    expect(info).toMatchObject({ name: 'Keyrack', version: '9.8.7' });
    expect(inventory.vendors).toHaveLength(5);
    expect(inventory.accounts.map((a) => a.id)).toEqual([ibm.id]);
    expect(prefs.value.theme).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(reveal.handle).toBe('sec_1');
    expect(inventory.rows.map((r) => r.record.id)).toEqual(['ApiKey-1']);
    expect(h.b.called('keys_list')).toHaveLength(1);
    expect(errors()).toEqual([]);
  });

  it('lists nothing while there is no account', async () => {
    h.b = backend();
    await start(() => undefined);
    await settle();
    expect(h.b.called('accounts_list')).toHaveLength(1);
    expect(h.b.called('keys_list')).toEqual([]);
  });

  it('says each startup problem once, except the settings one the status bar keeps', async () => {
    h.b = backend();
    const problem = (area: string, message: string) => ({ area, error: { code: 'config', message } });
    h.b.handlers.app_info = () => ({
      name: 'Keyrack',
      version: '1',
      sandbox: false,
      keychain: { ok: true },
      logDir: null,
      settingsError: 'settings.json is not JSON',
      problems: [problem('settings', 'settings.json is not JSON'), problem('sandbox', 'The emulator did not start')],
    });
    await start(() => undefined);
    await settle();
    expect(errors()).toEqual(['The emulator did not start']);
  });

  it('says what could not be read and loads the rest', async () => {
    h.b = backend({ accounts: [ibm] });
    h.b.failures.preferences_get = [{ code: 'config', message: 'settings.json is unreadable' }];
    h.b.failures.app_info = [{ code: 'internal', message: 'no info' }];
    let info: AppInfo | null = null;
    await start((i) => (info = i));
    await settle();
    expect(info).toBeNull();
    expect(errors().sort()).toEqual([
      'Could not read app info: no info',
      'Could not read the preferences: settings.json is unreadable',
    ]);
    expect(inventory.accounts).toHaveLength(1);
    expect(h.b.called('keys_list')).toHaveLength(1);
  });
});

describe('when the accounts change', () => {
  beforeEach(async () => {
    resetStores();
    h.b = backend({ accounts: [ibm], keys: { [ibm.id]: [], [cf.id]: [key('codefresh', cf.id, 'cf1')] } });
    await inventory.loadVendors();
    await inventory.loadAccounts();
  });

  it('reads the accounts again and lists them all', async () => {
    h.b.accounts = [ibm, cf];
    await reloadAccounts();
    expect(inventory.accounts.map((a) => a.id)).toEqual([ibm.id, cf.id]);
    expect(h.b.called('keys_list')).toHaveLength(1);
    expect(inventory.rows.map((r) => r.record.id)).toEqual(['cf1']);
  });

  it('lists only the account that was added or edited', async () => {
    h.b.accounts = [ibm, cf];
    await accountChanged(cf.id);
    expect(h.b.called('keys_list')).toEqual([]);
    expect(h.b.called('keys_list_account')).toEqual([{ accountId: cf.id }]);
    expect(toaster.items.map((t) => t.message)).toContain('Codefresh (Sandbox): 1 key listed');
  });

  it('lists nothing when no account is named', async () => {
    h.b.accounts = [];
    await accountChanged(null);
    expect(inventory.accounts).toEqual([]);
    expect(h.b.called('keys_list_account')).toEqual([]);
  });
});
