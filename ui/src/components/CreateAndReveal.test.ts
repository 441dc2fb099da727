import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({
  b: null as unknown as Backend,
}));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, cb: (e: { payload: unknown }) => void) => h.b.listen(event, cb),
}));
vi.mock('@tauri-apps/plugin-clipboard-manager', () => ({ writeText: vi.fn() }));

import App from '../App.svelte';
import { reveal } from '../lib/reveal.svelte';
import { resetStores, settle } from '../test/app';
import { backend } from '../test/backend';
import { account, key } from '../test/fixtures';

const ibm = account('ibm');
const cf = account('codefresh');
const oci = account('oci');

async function start(b: Backend) {
  h.b = b;
  render(App);
  await settle(10);
}

async function openCreate(accountId: string) {
  await fireEvent.keyDown(document.body, { key: 'n', ctrlKey: true });
  const dialog = screen.getByTestId('create-dialog');
  const select = within(dialog).getByLabelText('Account') as HTMLSelectElement;
  await fireEvent.change(select, { target: { value: accountId } });
  await settle();
  return dialog;
}

describe('create dialog', () => {
  beforeEach(() => {
    resetStores();
  });

  it('builds the form from Capabilities: Codefresh asks for a name, scopes and an optional owner', async () => {
    await start(backend({ accounts: [ibm, cf] }));
    const dialog = await openCreate(cf.id);
    expect(within(dialog).getByRole('heading').textContent).toBe('New Codefresh API key');
    expect(within(dialog).getByLabelText('Owner (optional)')).toBeTruthy();
    expect(within(dialog).queryByLabelText(/Description/)).toBeNull();
    expect(within(dialog).queryByText('Expires')).toBeNull();
    expect(within(dialog).getAllByRole('checkbox').map((c) => (c as HTMLInputElement).value)).toEqual(['build', 'pipeline', 'project']);
  });

  it('checks the form before sending and sends nothing while it is wrong', async () => {
    const b = backend({ accounts: [ibm] });
    await start(b);
    const dialog = await openCreate(ibm.id);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));
    await settle();
    expect(within(dialog).getByText('A name is required')).toBeTruthy();
    expect(b.called('key_create')).toEqual([]);

    await fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'x'.repeat(241) } });
    expect(within(dialog).getByText('241 characters; IBM Cloud allows at most 240')).toBeTruthy();
  });

  it('creates, updates the list in place and hands over to the reveal panel', async () => {
    const b = backend({ accounts: [cf], keys: { [cf.id]: [] } });
    await start(b);
    const dialog = await openCreate(cf.id);
    await fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'ci token' } });
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /build/ }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));
    await settle();
    const [call] = b.called('key_create');
    expect(call).toMatchObject({ accountId: cf.id, spec: { name: 'ci token', scopes: ['build'], owner: null } });
    expect(screen.queryByTestId('create-dialog')).toBeNull();
    expect(screen.getAllByRole('row').some((r) => r.textContent?.includes('ci token'))).toBe(true);
    expect(b.called('keys_list')).toHaveLength(1);

    const panel = screen.getByTestId('reveal-panel');
    expect(within(panel).getByTestId('secret-hint').textContent).toBe('••••alue');
    expect(b.called('secret_reveal')).toEqual([]);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Show' }));
    await settle();
    expect(within(panel).getByTestId('secret-value').textContent).toMatch(/^s3cret-NEW-\d+-value$/);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Hide' }));
    expect(within(panel).queryByTestId('secret-value')).toBeNull();
    expect(reveal.shown).toBeNull();
    expect(panel.textContent).not.toContain('s3cret');
  });

  it('shows the vendor’s message when the vendor refuses, and keeps the form', async () => {
    const b = backend({ accounts: [cf] });
    b.failures.key_create = [{ code: 'forbidden', message: 'Codefresh said HTTP 403: not allowed (request id q-1)' }];
    await start(b);
    const dialog = await openCreate(cf.id);
    await fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'x' } });
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /build/ }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));
    await settle();
    expect(within(dialog).getByTestId('create-error').textContent).toContain('HTTP 403: not allowed (request id q-1)');
    expect(screen.getByTestId('toast-error').textContent).toContain('not allowed');
    expect(screen.queryByTestId('reveal-panel')).toBeNull();
  });

  it('puts a backend validation error next to its field', async () => {
    const b = backend({ accounts: [ibm] });
    b.failures.key_create = [{ code: 'validation', message: 'name: already taken', field: 'name' }];
    await start(b);
    const dialog = await openCreate(ibm.id);
    await fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'dup' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));
    await settle();
    expect(dialog.querySelector('[data-error-for=name]')?.textContent).toBe('name: already taken');
  });

  it('starts from the account’s default project when the vendor lists it', async () => {
    const openai = account('openai');
    openai.settings.project_id = 'proj_2';
    const b = backend({ accounts: [openai] });
    b.handlers.create_options = () => ({
      owners: [],
      projects: [
        { id: 'proj_1', name: 'Research' },
        { id: 'proj_2', name: 'Production' },
      ],
    });
    await start(b);
    const dialog = await openCreate(openai.id);
    expect((within(dialog).getByLabelText(/^Project/) as HTMLSelectElement).value).toBe('proj_2');
  });

  it('offers the owners the vendor lists, service users too, and sends the one picked', async () => {
    const b = backend({ accounts: [cf], keys: { [cf.id]: [] } });
    b.handlers.create_options = () => ({
      owners: [
        { kind: 'user', id: 'u1', name: "keyrack-admin (this API key's user)" },
        { kind: 'service_account', id: 'su1', name: 'ci-bot' },
        { kind: 'service_account', id: 'su2', name: 'release-bot' },
      ],
      projects: [],
    });
    await start(b);
    const dialog = await openCreate(cf.id);
    const picker = within(dialog).getByLabelText('Owner (optional)') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual([
      'Default (see below)',
      "keyrack-admin (this API key's user) · User",
      'ci-bot · Service account',
      'release-bot · Service account',
      'Enter an ID…',
    ]);
    await fireEvent.change(picker, { target: { value: 'service_account:su2' } });
    await fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'bot key' } });
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /pipeline/ }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Create API key' }));
    await settle();
    const [call] = b.called('key_create');
    expect(call).toMatchObject({
      accountId: cf.id,
      spec: { name: 'bot key', scopes: ['pipeline'], owner: { kind: 'service_account', id: 'su2' } },
    });
  });

  it('explains a full per-owner quota before the form is filled, and blocks it', async () => {
    const me = { kind: 'user' as const, id: 'ocid1.user.me', name: "this account's user" };
    const b = backend({
      accounts: [oci],
      keys: { [oci.id]: ['a', 'b', 'c'].map((id) => key('oci', oci.id, id, { owner: me })) },
    });
    b.handlers.create_options = () => ({ owners: [me], projects: [] });
    await start(b);
    const dialog = await openCreate(oci.id);
    const quota = within(dialog).getByTestId('quota');
    expect(quota.textContent).toContain('at most 3 API signing keys per user');
    expect(quota.textContent).toContain("this account's user has 3");
    expect((within(dialog).getByRole('button', { name: 'Create API signing key' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('reveal panel', () => {
  beforeEach(() => {
    resetStores();
  });

  async function withPending(b: Backend) {
    const record = key('ibm', ibm.id, 'ApiKey-new', { name: 'fresh' });
    b.pending = [{ handle: 'sec_1', record, hint: '••••abcd', created_at: '2026-01-01T00:00:00Z', saved: false, copied: false }];
    b.secrets = { sec_1: 'the-secret' };
    await start(b);
    return screen.getByTestId('reveal-panel');
  }

  it('cannot be closed by accident while the secret is unsaved', async () => {
    const b = backend({ accounts: [ibm] });
    const panel = await withPending(b);
    await fireEvent.keyDown(panel, { key: 'Escape' });
    const confirm = screen.getByTestId('discard-dialog');
    expect(confirm.textContent).toContain("This key can't be shown again");
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(b.called('secret_dismiss')).toEqual([]);
    expect(screen.getByTestId('reveal-panel')).toBeTruthy();

    await fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    await fireEvent.click(within(screen.getByTestId('discard-dialog')).getByTestId('confirm-button'));
    await settle();
    expect(b.called('secret_dismiss')).toEqual([{ handle: 'sec_1' }]);
    expect(screen.queryByTestId('reveal-panel')).toBeNull();
  });

  it('copies through the backend and counts down until the clipboard is cleared', async () => {
    const b = backend({ accounts: [ibm] });
    const panel = await withPending(b);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Copy' }));
    await settle();
    expect(b.called('secret_copy')).toEqual([{ handle: 'sec_1' }]);
    expect(screen.getByTestId('clipboard-countdown').textContent).toMatch(/cleared in (45|44) s/);
    b.emit('clipboard-cleared', { handle: 'sec_1', cleared: true });
    await settle();
    expect(screen.queryByTestId('clipboard-countdown')).toBeNull();
    // Copied: Done closes at once.
    await fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    await settle();
    expect(b.called('secret_dismiss')).toEqual([{ handle: 'sec_1' }]);
  });

  it('downloads in the chosen format where the user picked in the backend\'s dialog', async () => {
    const b = backend({ accounts: [ibm] });
    b.picked = '/tmp/apikey.json';
    const panel = await withPending(b);
    const format = within(panel).getByLabelText('Download as') as HTMLSelectElement;
    expect([...format.options].map((o) => o.value)).toEqual(['ibm_apikey_json', 'env']);
    await fireEvent.click(within(panel).getByRole('button', { name: /Download/ }));
    await settle();
    // The key and the format only: where it goes is the dialog's business.
    expect(b.called('secret_save')).toEqual([{ handle: 'sec_1', format: 'ibm_apikey_json', profile: null }]);
    expect(within(panel).getByTestId('saved-paths').textContent).toContain('/tmp/apikey.json');
    expect(screen.getByText('Saved to /tmp/apikey.json')).toBeTruthy();
    // Saved: closing needs no confirmation.
    await fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    await settle();
    expect(screen.queryByTestId('discard-dialog')).toBeNull();
    expect(b.called('secret_dismiss')).toHaveLength(1);
  });

  it('keeps the secret when the save dialog is cancelled', async () => {
    const b = backend({ accounts: [ibm] });
    b.picked = null;
    const panel = await withPending(b);
    await fireEvent.click(within(panel).getByRole('button', { name: /Download/ }));
    await settle();
    expect(b.called('secret_save')).toHaveLength(1);
    expect(within(panel).queryByTestId('saved-paths')).toBeNull();
    expect(screen.queryByTestId('toast-error')).toBeNull();
    // Still unsaved: closing asks first.
    await fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.getByTestId('discard-dialog')).toBeTruthy();
    expect(b.called('secret_dismiss')).toEqual([]);
  });

  it('offers adding the key to a config profile when the vendor has that format', async () => {
    const b = backend({ accounts: [oci] });
    const record = key('oci', oci.id, 'aa:bb');
    b.pending = [{ handle: 'sec_2', record, hint: '••••', created_at: '2026-01-01T00:00:00Z', saved: true, copied: false }];
    b.secrets = { sec_2: '-----BEGIN PRIVATE KEY-----' };
    await start(b);
    const panel = screen.getByTestId('reveal-panel');
    const profile = within(panel).getByLabelText('Profile name') as HTMLInputElement;
    expect(profile.value).toBe('oracle-cloud-oci-sandbox');
    await fireEvent.input(profile, { target: { value: 'dev' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Add to my ~/.oci/config' }));
    await settle();
    expect(b.called('oci_config_append')).toEqual([{ handle: 'sec_2', profile: 'dev' }]);
    // The file written is the one the backend resolved, shown to the user.
    expect(within(panel).getByTestId('saved-paths').textContent).toContain('/home/u/.oci/config [dev]');
  });
});
