import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from './test/backend';

const h = vi.hoisted(() => ({
  b: null as unknown as Backend,
  writeText: vi.fn(async (_text: string) => undefined),
}));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, cb: (e: { payload: unknown }) => void) => h.b.listen(event, cb),
}));
vi.mock('@tauri-apps/plugin-clipboard-manager', () => ({ writeText: h.writeText }));

import App from './App.svelte';
import { backend } from './test/backend';
import { resetStores, settle } from './test/app';
import { account, key } from './test/fixtures';
import { toaster } from './lib/toasts.svelte';

const ibm = account('ibm');
const cf = account('codefresh');
const oci = account('oci');
const openai = account('openai');

function rows(): HTMLElement[] {
  return screen.queryAllByRole('row').filter((r) => r.hasAttribute('data-key-id'));
}

function rowFor(id: string): HTMLElement {
  const row = rows().find((r) => r.dataset.keyId === id);
  if (!row) throw new Error(`no row ${id}; rows: ${rows().map((r) => r.dataset.keyId).join(', ')}`);
  return row;
}

async function start(b: Backend) {
  h.b = b;
  const view = render(App);
  await settle(10);
  return view;
}

describe('App', () => {
  beforeEach(() => {
    resetStores();
    h.writeText.mockClear();
  });
  afterEach(() => {
    document.documentElement.removeAttribute('data-theme');
  });

  it('lists every account in the sidebar and every key in one table', async () => {
    await start(
      backend({
        accounts: [ibm, cf],
        keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1', { name: 'deploy' })], [cf.id]: [key('codefresh', cf.id, 'cf1', { name: 'ci' })] },
      }),
    );
    const nav = screen.getByRole('navigation', { name: 'Vendors and accounts' });
    expect(nav.textContent).toContain('IBM Cloud');
    expect(nav.textContent).not.toContain('(Sandbox)');
    expect(within(nav).getAllByText('Sandbox')).toHaveLength(2);
    expect(rows().map((r) => r.dataset.keyId).sort()).toEqual(['ApiKey-1', 'cf1']);
    expect((await screen.findByTestId('version')).textContent).toBe('Keyrack 9.8.7');
    expect(h.b.called('keys_list')).toHaveLength(1);
  });

  it('shows a failing account inline with Retry while the others display', async () => {
    const b = backend({
      accounts: [ibm, cf],
      keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1')], [cf.id]: [key('codefresh', cf.id, 'cf1')] },
      failing: { [cf.id]: { code: 'unauthorized', message: 'Codefresh rejected the API key' } },
    });
    await start(b);
    const error = screen.getByTestId('account-error');
    expect(error.textContent).toContain('Codefresh rejected the API key');
    expect(rows().map((r) => r.dataset.keyId)).toEqual(['ApiKey-1']);

    delete b.failing[cf.id];
    await fireEvent.click(within(error).getByRole('button', { name: /Retry/ }));
    await settle();
    expect(b.called('keys_list_account')).toEqual([{ accountId: cf.id }]);
    expect(screen.queryByTestId('account-error')).toBeNull();
    expect(rows().map((r) => r.dataset.keyId).sort()).toEqual(['ApiKey-1', 'cf1']);
  });

  it('filters as you type, and "/" focuses the search', async () => {
    await start(
      backend({
        accounts: [ibm],
        keys: {
          [ibm.id]: [
            key('ibm', ibm.id, 'ApiKey-1', { name: 'deploy bot' }),
            key('ibm', ibm.id, 'ApiKey-2', { name: 'backup', description: 'nightly' }),
          ],
        },
      }),
    );
    await fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox');
    expect(document.activeElement).toBe(search);
    await fireEvent.input(search, { target: { value: 'nightly' } });
    expect(rows().map((r) => r.dataset.keyId)).toEqual(['ApiKey-2']);
    await fireEvent.input(search, { target: { value: 'zzz' } });
    expect(screen.getByTestId('keys-no-match').textContent).toContain('No keys match “zzz”');
  });

  it('moves the selection with the arrow keys and shows the detail panel', async () => {
    await start(
      backend({
        accounts: [ibm],
        keys: { [ibm.id]: [key('ibm', ibm.id, 'A', { name: 'a' }), key('ibm', ibm.id, 'B', { name: 'b' })] },
      }),
    );
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(screen.getByTestId('detail-id').textContent).toBe('A');
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(screen.getByTestId('detail-id').textContent).toBe('B');
    expect(rowFor('B').getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(document.body, { key: 'ArrowUp' });
    expect(screen.getByTestId('detail-id').textContent).toBe('A');
  });

  it('copies an id with the clipboard plugin, never through a secret command', async () => {
    await start(backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-9')] } }));
    await fireEvent.click(rowFor('ApiKey-9'));
    await fireEvent.click(screen.getByRole('button', { name: 'Copy API key ID' }));
    await settle();
    expect(h.writeText).toHaveBeenCalledWith('ApiKey-9');
    expect(h.b.called('secret_copy')).toEqual([]);
  });

  it('locks and disables an IBM key from the detail panel and updates the row in place', async () => {
    const b = backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1')] } });
    await start(b);
    await fireEvent.click(rowFor('ApiKey-1'));
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await settle();
    expect(b.called('key_set_locked')).toEqual([{ accountId: ibm.id, keyId: 'ApiKey-1', locked: true }]);
    expect(within(rowFor('ApiKey-1')).getByText('locked')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unlock' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await settle();
    expect(within(rowFor('ApiKey-1')).getByText('disabled')).toBeTruthy();
    expect(b.called('keys_list')).toHaveLength(1);
    expect(toaster.items.map((t) => t.message)).toContain('Disabled key ApiKey-1');
  });

  it('offers only the actions the vendor supports', async () => {
    await start(backend({ accounts: [oci], keys: { [oci.id]: [key('oci', oci.id, 'aa:bb')] } }));
    await fireEvent.click(rowFor('aa:bb'));
    const bar = screen.getByRole('toolbar', { name: 'Key actions' });
    expect(within(bar).getAllByRole('button').map((x) => x.textContent?.trim())).toEqual(['Rotate…', 'Delete']);
  });

  it('rotates from the detail panel: the plan, then the result, and the new secret in the reveal panel', async () => {
    const b = backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1', { name: 'old' })] } });
    await start(b);
    await fireEvent.click(rowFor('ApiKey-1'));
    await fireEvent.click(screen.getByRole('button', { name: 'Rotate…' }));
    await settle();
    expect(screen.getByTestId('rotate-plan').textContent).toContain('old-rotated-20261204');
    await fireEvent.click(screen.getByTestId('rotate-run'));
    await settle();
    expect(screen.getByTestId('rotate-result').dataset.step).toBe('done');
    expect(rowFor('k_rot_ApiKey-1')).toBeTruthy();
    expect(screen.queryByText('ApiKey-1', { selector: '[data-testid="detail-id"]' })).toBeNull();
    expect(b.called('secret_reveal')).toEqual([]);
  });

  it('deletes with Delete after a confirmation naming the key and its account', async () => {
    const b = backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1', { name: 'old' })] } });
    await start(b);
    await fireEvent.click(rowFor('ApiKey-1'));
    await fireEvent.keyDown(document.body, { key: 'Delete' });
    const dialog = screen.getByTestId('delete-dialog');
    expect(dialog.textContent).toContain('Delete old from IBM Cloud (Sandbox)');
    expect(b.called('key_delete')).toEqual([]);
    await fireEvent.click(within(dialog).getByTestId('confirm-button'));
    await settle();
    expect(b.called('key_delete')).toEqual([{ accountId: ibm.id, keyId: 'ApiKey-1' }]);
    expect(rows()).toEqual([]);
    expect(screen.queryByTestId('delete-dialog')).toBeNull();
  });

  it('asks for the name of a key used in the last 30 days before deleting it', async () => {
    const used = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const b = backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1', { name: 'prod', last_used_at: used })] } });
    await start(b);
    await fireEvent.click(rowFor('ApiKey-1'));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByTestId('confirm-button') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('confirm-text'), { target: { value: 'pro' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('confirm-text'), { target: { value: 'prod' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await settle();
    expect(b.called('key_delete')).toHaveLength(1);
  });

  it('offers to delete an OpenAI service account left without keys', async () => {
    const b = backend({ accounts: [openai], keys: { [openai.id]: [key('openai', openai.id, 'key_1')] } });
    const sa = { kind: 'service_account', id: 'proj_1/svc_1', name: 'ci-bot' };
    b.handlers.key_delete = () => ({ owner_without_keys: sa });
    await start(b);
    await fireEvent.click(rowFor('key_1'));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await fireEvent.click(screen.getByTestId('confirm-button'));
    await settle();
    const offer = screen.getByTestId('delete-owner-dialog');
    expect(offer.textContent).toContain('ci-bot has no keys left');
    await fireEvent.click(within(offer).getByTestId('confirm-button'));
    await settle();
    expect(b.called('owner_delete')).toEqual([{ accountId: openai.id, owner: sa }]);
  });

  it('shows a vendor error as a toast and keeps the list usable', async () => {
    const b = backend({ accounts: [ibm], keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1')] } });
    b.failures.key_set_locked = [{ code: 'vendor', message: 'IBM said HTTP 500: boom (request id r-9)' }];
    await start(b);
    await fireEvent.click(rowFor('ApiKey-1'));
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await settle();
    expect(screen.getByTestId('toast-error').textContent).toContain('IBM said HTTP 500: boom (request id r-9)');
    expect(rowFor('ApiKey-1')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await settle();
    expect(within(rowFor('ApiKey-1')).getByText('locked')).toBeTruthy();
  });

  it('re-opens keys created earlier that are still unsaved, and selects a key for the tray', async () => {
    const record = key('codefresh', cf.id, 'cf-new', { name: 'from before' });
    const b = backend({
      accounts: [cf],
      keys: { [cf.id]: [record] },
      pending: [{ handle: 'sec_1', record, hint: '••••9f3a', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false }],
      secrets: { sec_1: 'cf-token' },
    });
    await start(b);
    const panel = screen.getByTestId('reveal-panel');
    expect(panel.textContent).toContain('from before');
    expect(screen.getByTestId('secret-hint').textContent).toBe('••••9f3a');

    await fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByTestId('reveal-panel')).toBeNull();
    b.emit('tray-action', { action: 'open-reveal', handle: 'sec_1' });
    await settle();
    expect(screen.getByTestId('reveal-panel')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Later' }));

    b.emit('tray-action', { action: 'select-key', accountId: cf.id, keyId: 'cf-new' });
    await settle();
    expect(screen.getByTestId('detail-id').textContent).toBe('cf-new');

    // "Rotate…" in the tray: the key selected and its rotate dialog open.
    expect(screen.queryByTestId('rotate-dialog')).toBeNull();
    b.emit('tray-action', { action: 'rotate-key', accountId: cf.id, keyId: 'cf-new' });
    await settle();
    expect(screen.getByTestId('rotate-dialog')).toBeTruthy();
    expect(screen.getByTestId('detail-id').textContent).toBe('cf-new');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await settle();
    expect(screen.queryByTestId('rotate-dialog')).toBeNull();

    b.emit('tray-action', { action: 'refresh' });
    await settle();
    expect(b.called('keys_list')).toHaveLength(2);
  });

  it('refreshes on Ctrl+R and F5, not reloading the page', async () => {
    const b = backend({ accounts: [ibm] });
    await start(b);
    const ev = new KeyboardEvent('keydown', { key: 'r', ctrlKey: true, cancelable: true, bubbles: true });
    document.body.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    await settle();
    await fireEvent.keyDown(document.body, { key: 'F5' });
    await settle();
    expect(b.called('keys_list')).toHaveLength(3);
  });

  it('applies the theme at once when it changes in Settings', async () => {
    const b = backend({ accounts: [ibm] });
    await start(b);
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dark = document.querySelector<HTMLInputElement>('[data-theme-choice=dark]');
    if (!dark) throw new Error('no dark theme choice');
    await fireEvent.click(dark);
    expect(document.documentElement.dataset.theme).toBe('dark');
    await settle();
    expect(b.called('preferences_set')).toEqual([{ p: { ...b.prefs, theme: 'dark' } }]);
    await fireEvent.keyDown(screen.getByTestId('settings-dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
  });
});
