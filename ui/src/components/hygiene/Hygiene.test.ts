// The hygiene views rendered in the whole app against the fake backend: Needs attention (reasons
// and one-click actions), Overview (a bar or mark filters the list), Activity (the audit log,
// filtered) and a key's history in the detail panel; the attention thresholds in Settings.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, cb: (e: { payload: unknown }) => void) => h.b.listen(event, cb),
}));
vi.mock('@tauri-apps/plugin-clipboard-manager', () => ({ writeText: vi.fn(async () => undefined) }));

import App from '../../App.svelte';
import { DAY } from '../../lib/hygiene';
import { RELIST_DELAY_MS } from '../../lib/eventRoutes';
import { ui } from '../../lib/ui.svelte';
import { view } from '../../lib/view.svelte';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import { account, key } from '../../test/fixtures';
import type { Attention, AuditEntry, KeyRecord } from '../../lib/types';

const ibm = account('ibm');
const cf = account('codefresh');
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

const expiring = key('ibm', ibm.id, 'ApiKey-exp', { name: 'ci-deploy', expires_at: iso(now + 3 * DAY + 3600_000) });
const old = key('codefresh', cf.id, 'cf-old', { name: 'legacy', created_at: iso(now - 240 * DAY) });
const fresh = key('ibm', ibm.id, 'ApiKey-new', { name: 'fresh', created_at: iso(now - 2 * DAY) });

function attention(k: KeyRecord, reasons: Attention['reasons']): Attention {
  return { account_id: k.account, key_id: k.id, key: k, reasons };
}

function entry(over: Partial<AuditEntry>): AuditEntry {
  return {
    time: iso(now - DAY),
    user: 'ann',
    action: 'key_create',
    account_id: ibm.id,
    account_name: ibm.name,
    vendor: 'ibm',
    key_id: fresh.id,
    key_name: fresh.name,
    outcome: { result: 'ok' },
    request_id: null,
    detail: null,
    ...over,
  };
}

async function start(): Promise<Backend> {
  const b = backend({ accounts: [ibm, cf], keys: { [ibm.id]: [expiring, fresh], [cf.id]: [old] } });
  b.attention = [
    attention(expiring, [{ kind: 'expiring', at: expiring.expires_at!, days_left: 3, within_days: 14 }]),
    attention(old, [{ kind: 'old', created_at: old.created_at!, age_days: 240, older_than_days: 90 }]),
  ];
  b.audit = [
    entry({ time: iso(now - 3 * DAY), action: 'key_create' }),
    entry({ time: iso(now - 2 * DAY), action: 'secret_reveal' }),
    entry({ time: iso(now - DAY), action: 'key_delete', key_id: 'ApiKey-gone', key_name: 'gone' }),
    entry({
      time: iso(now - 3600_000),
      action: 'account_update',
      account_id: cf.id,
      account_name: cf.name,
      vendor: 'codefresh',
      key_id: null,
      key_name: null,
      outcome: { result: 'failed', code: 'unauthorized', message: 'bad token' },
    }),
  ];
  h.b = b;
  render(App);
  await settle(10);
  return b;
}

function nav(name: 'attention' | 'overview' | 'activity') {
  return screen.getByTestId(`nav-${name}`);
}

describe('Needs attention', () => {
  beforeEach(() => resetStores());

  it('counts the keys in the sidebar and shows each with its reasons', async () => {
    await start();
    expect(screen.getByTestId('attention-count').textContent).toBe('2');
    await fireEvent.click(nav('attention'));
    const list = screen.getByTestId('attention-view');
    const items = list.querySelectorAll('[data-attention-key]');
    expect([...items].map((i) => (i as HTMLElement).dataset.attentionKey)).toEqual(['ApiKey-exp', 'cf-old']);
    expect(within(items[0] as HTMLElement).getByText('expires in 3 days')).toBeTruthy();
    expect(within(items[1] as HTMLElement).getByText('240 days old')).toBeTruthy();
    // IBM can change an expiry; Codefresh cannot (no "Extend" there).
    expect(items[0].querySelector('[data-action="extend"]')).not.toBeNull();
    expect(items[1].querySelector('[data-action="extend"]')).toBeNull();
  });

  it('rotates the selected keys one after another, listing a failure while the rest go on', async () => {
    const b = await start();
    await fireEvent.click(nav('attention'));
    const run = () => screen.getByTestId('rotate-selected') as HTMLButtonElement;
    expect(run().disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('attention-pick-all'));
    expect(run().textContent).toContain('Rotate selected (2)');
    // The first key's rotation fails at the backend; the second still runs.
    b.failures.rotate_key = [
      { code: 'vendor', message: 'IBM answered 503', field: null, retry_after_secs: null, vendor: null, recovered: null },
    ];
    await fireEvent.click(run());
    await settle();
    expect(screen.getByTestId('rotate-many-dialog')).toBeTruthy();
    expect(b.called('rotation_plan').map((c) => c.keyId)).toEqual(['ApiKey-exp', 'cf-old']);
    const go = screen.getByTestId('rotate-many-run') as HTMLButtonElement;
    expect(go.textContent).toContain('Rotate 2 keys');
    await fireEvent.click(go);
    await settle(10);
    expect(b.called('rotate_key').map((c) => c.keyId)).toEqual(['ApiKey-exp', 'cf-old']);
    const status = (id: string) =>
      (document.querySelector(`[data-testid="rotate-many-items"] [data-key-id="${id}"]`) as HTMLElement).dataset.status;
    expect(status('ApiKey-exp')).toBe('failed');
    expect(status('cf-old')).toBe('rotated');
    const bar = screen.getByTestId('rotate-many-progress') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([2, 2]);
    expect(screen.getByTestId('rotate-many-summary').textContent).toBe('1 rotated, 1 failed.');
    expect(screen.getByTestId('rotate-many-items').textContent).toContain('IBM answered 503');
    // The new secret waits for the reveal panel, which opens when asked.
    expect(document.querySelector('[data-testid="reveal-panel"]')).toBeNull();
    await fireEvent.click(screen.getByTestId('rotate-many-secrets'));
    await settle();
    expect(document.querySelector('[data-testid="rotate-many-dialog"]')).toBeNull();
    expect(document.querySelector('[data-testid="reveal-panel"]')).not.toBeNull();
  });

  it('leaves out a key whose plan is refused, saying why', async () => {
    const b = await start();
    await fireEvent.click(nav('attention'));
    const picks = screen.getAllByTestId('attention-pick');
    expect(picks).toHaveLength(2);
    await fireEvent.click(picks[0]);
    await fireEvent.click(picks[1]);
    b.failures.rotation_plan = [
      { code: 'quota_exceeded', message: 'at limit: delete one of k2 first', field: null, retry_after_secs: null, vendor: null, recovered: null },
    ];
    await fireEvent.click(screen.getByTestId('rotate-selected'));
    await settle(10);
    const items = screen.getByTestId('rotate-many-items');
    expect((items.querySelector('[data-key-id="ApiKey-exp"]') as HTMLElement).dataset.status).toBe('refused');
    expect(items.textContent).toContain('at limit');
    expect(screen.getByTestId('rotate-many-run').textContent).toContain('Rotate 1 key');
    await fireEvent.click(screen.getByTestId('rotate-many-run'));
    await settle(10);
    expect(b.called('rotate_key').map((c) => c.keyId)).toEqual(['cf-old']);
    expect(screen.getByTestId('rotate-many-summary').textContent).toBe('1 rotated, 1 could not be planned.');
  });

  it('snoozes a key for 7 days through key_note_set and drops it from the list', async () => {
    const b = await start();
    await fireEvent.click(nav('attention'));
    const item = document.querySelector('[data-attention-key="ApiKey-exp"]') as HTMLElement;
    await fireEvent.click(within(item).getByRole('button', { name: 'Snooze 7 days' }));
    await settle();
    const [call] = b.called('key_note_set');
    const note = call.note as { account_id: string; key_id: string; snoozed_until: string; expected: null };
    expect(note.account_id).toBe(ibm.id);
    expect(note.key_id).toBe('ApiKey-exp');
    expect(note.expected).toBeNull();
    const days = (Date.parse(note.snoozed_until) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(document.querySelector('[data-attention-key="ApiKey-exp"]')).toBeNull();
    expect(screen.getByTestId('attention-count').textContent).toBe('1');
  });

  it('asks why before marking a key expected', async () => {
    const b = await start();
    await fireEvent.click(nav('attention'));
    const item = document.querySelector('[data-attention-key="cf-old"]') as HTMLElement;
    await fireEvent.click(within(item).getByRole('button', { name: 'Mark expected…' }));
    const submit = within(item).getByRole('button', { name: 'Mark expected' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('expected-reason'), { target: { value: 'rotated by hand' } });
    await fireEvent.click(submit);
    await settle();
    expect(b.called('key_note_set')[0].note).toMatchObject({ key_id: 'cf-old', expected: 'rotated by hand', snoozed_until: null });
    expect(document.querySelector('[data-attention-key="cf-old"]')).toBeNull();
  });

  it('opens the existing Edit and Delete flows, and disables in one click', async () => {
    const b = await start();
    await fireEvent.click(nav('attention'));
    const item = () => document.querySelector('[data-attention-key="ApiKey-exp"]') as HTMLElement;
    await fireEvent.click(within(item()).getByRole('button', { name: 'Extend expiry…' }));
    expect(ui.dialog).toMatchObject({ kind: 'edit' });
    ui.dialog = null;
    await settle();
    await fireEvent.click(within(item()).getByRole('button', { name: 'Delete…' }));
    expect(ui.dialog).toMatchObject({ kind: 'delete' });
    ui.dialog = null;
    await settle();
    await fireEvent.click(within(item()).getByRole('button', { name: 'Disable' }));
    await settle();
    expect(b.called('key_set_disabled')).toEqual([{ accountId: ibm.id, keyId: 'ApiKey-exp', disabled: true }]);
  });
});

describe('Overview', () => {
  beforeEach(() => resetStores());

  it('filters the key list to a vendor and status, an age bucket or an expiry day', async () => {
    await start();
    await fireEvent.click(nav('overview'));
    expect(screen.getByTestId('overview-view')).toBeTruthy();

    const seg = document.querySelector('[data-vendor="codefresh"][data-status="active"]') as Element;
    await fireEvent.click(seg);
    expect(view.page).toBe('keys');
    expect(ui.filter.vendor).toBe('codefresh');
    expect(ui.filter.status).toBe('active');
    expect(view.visible.map((r) => r.record.id)).toEqual(['cf-old']);

    await fireEvent.click(nav('overview'));
    await fireEvent.click(document.querySelector('[data-bucket="0–30d"]') as Element);
    expect(view.visible.map((r) => r.record.id)).toEqual(['ApiKey-new']);
    expect(screen.getByTestId('filter-range').textContent).toContain('Age 0–30d');

    await fireEvent.click(nav('overview'));
    const mark = screen.getByTestId('expiry-chart').querySelector('[data-key-id="ApiKey-exp"]') as Element;
    await fireEvent.click(mark);
    expect(view.visible.map((r) => r.record.id)).toEqual(['ApiKey-exp']);
    expect(ui.filter.vendor).toBeNull();
  });
});

describe('Activity', () => {
  beforeEach(() => resetStores());

  it('lists the audit log newest first and filters it by action', async () => {
    const b = await start();
    await fireEvent.click(nav('activity'));
    await settle();
    const rows = () => [...screen.getByTestId('activity-view').querySelectorAll('tbody tr')] as HTMLElement[];
    expect(rows().map((r) => r.dataset.action)).toEqual(['account_update', 'key_delete', 'secret_reveal', 'key_create']);
    expect(rows()[0].textContent).toContain('Failed: unauthorized');
    expect(rows()[1].textContent).toContain('gone (ApiKey-gone)');

    const action = document.getElementById('activity-action') as HTMLSelectElement;
    action.value = 'key_delete';
    await fireEvent.change(action);
    await settle();
    expect(b.called('audit_list').at(-1)?.filter).toMatchObject({ action: 'key_delete', limit: 500 });
    expect(rows().map((r) => r.dataset.action)).toEqual(['key_delete']);

    const account = document.getElementById('activity-account') as HTMLSelectElement;
    action.value = '';
    await fireEvent.change(action);
    account.value = cf.id;
    await fireEvent.change(account);
    await settle();
    expect(rows().map((r) => r.dataset.action)).toEqual(['account_update']);
  });

  it("shows a key's history in the detail panel", async () => {
    const b = await start();
    view.selectKey(ibm.id, fresh.id);
    await settle();
    const history = screen.getByTestId('key-history');
    expect([...history.querySelectorAll('li')].map((li) => (li as HTMLElement).dataset.action)).toEqual([
      'secret_reveal',
      'key_create',
    ]);
    expect(b.called('audit_list').at(-1)?.filter).toMatchObject({ account_id: ibm.id, key_id: fresh.id });
  });
});

describe('Settings', () => {
  beforeEach(() => resetStores());

  it('saves the attention thresholds, refresh, quiet and start at login', async () => {
    const b = await start();
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const older = document.getElementById('pref-older-than') as HTMLInputElement;
    await fireEvent.change(older, { target: { value: '180' } });
    await settle();
    expect(b.prefs.older_than_days).toBe(180);
    await fireEvent.change(document.getElementById('pref-unused-for') as HTMLInputElement, { target: { value: '0' } });
    await settle();
    expect(b.prefs.unused_for_days).toBe(0);
    await fireEvent.change(document.getElementById('pref-refresh-hours') as HTMLInputElement, { target: { value: '200' } });
    await settle();
    expect(b.prefs.refresh_hours).toBe(6);
    expect(screen.getByText('Between 0 and 168')).toBeTruthy();
    await fireEvent.click(document.getElementById('pref-quiet') as HTMLInputElement);
    await settle();
    await fireEvent.click(document.getElementById('pref-start-at-login') as HTMLInputElement);
    await settle();
    expect(b.prefs.quiet).toBe(true);
    expect(b.prefs.start_at_login).toBe(true);
    // New thresholds: what needs attention is asked again.
    expect(b.called('attention_list').length).toBeGreaterThan(2);
  });

  it('shows archived projects on request: saved, and every account listed again', async () => {
    const b = await start();
    const listed = b.called('keys_list').length;
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const toggle = document.getElementById('pref-include-archived') as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(toggle.closest('label')?.textContent).toContain('Show archived projects');
    await fireEvent.click(toggle);
    await settle();
    expect(b.prefs.include_archived).toBe(true);
    expect(b.called('keys_list')).toHaveLength(listed + 1);
    // The backend's own keys-changed for it is not a second listing.
    b.emit('keys-changed', null);
    await new Promise((r) => setTimeout(r, RELIST_DELAY_MS + 100));
    await settle();
    expect(b.called('keys_list')).toHaveLength(listed + 1);
    await fireEvent.click(toggle);
    await settle();
    expect(b.prefs.include_archived).toBe(false);
    expect(b.called('keys_list')).toHaveLength(listed + 2);
  });

  it('gives one account thresholds of its own, and forgets them when blanked', async () => {
    const b = await start();
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const account = (document.getElementById('pref-rules-account') as HTMLSelectElement).value;
    expect(account).not.toBe('');
    const expiring = () => document.getElementById('pref-rules-expiring_soon_days') as HTMLInputElement;
    await fireEvent.change(expiring(), { target: { value: '30' } });
    await settle();
    expect(b.prefs.account_rules).toEqual({
      [account]: { expiring_soon_days: 30, older_than_days: null, unused_for_days: null },
    });
    expect(expiring().value).toBe('30');
    await fireEvent.change(expiring(), { target: { value: '9999' } });
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Between 1 and 365');
    expect(b.prefs.account_rules[account]?.expiring_soon_days).toBe(30);
    await fireEvent.change(expiring(), { target: { value: '' } });
    await settle();
    expect(b.prefs.account_rules).toEqual({});
  });
});
