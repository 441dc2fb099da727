import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { toRow } from '../../lib/keys';
import type { KeyRecord } from '../../lib/types';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import { account, CAPS, key } from '../../test/fixtures';
import EditKeyDialog from './EditKeyDialog.svelte';

const cf = account('codefresh');
const scw = account('scaleway');
const ibm = account('ibm');
const oai = account('openai');

async function open(record: KeyRecord) {
  const a = record.vendor === 'codefresh' ? cf : record.vendor === 'ibm' ? ibm : record.vendor === 'openai' ? oai : scw;
  h.b = backend({ accounts: [a], keys: { [a.id]: [record] } });
  h.b.handlers.create_options = () => ({ owners: [], projects: [{ id: 'p1', name: 'Research' }] });
  const caps = CAPS[record.vendor];
  const onclose = vi.fn();
  render(EditKeyDialog, { row: toRow(record, a, caps.vendor_name, Date.now()), caps, onclose });
  await settle();
  return onclose;
}

function save(): HTMLButtonElement {
  return document.getElementById('edit-submit') as HTMLButtonElement;
}

describe('EditKeyDialog', () => {
  beforeEach(() => resetStores());

  it('offers what the vendor lets change, and sends only what changed', async () => {
    const onclose = await open(key('codefresh', cf.id, 'cf1', { name: 'ci', scopes: ['build'] }));
    expect(screen.queryByLabelText(/Description/)).toBeNull();
    expect(save().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: /pipeline/ }));
    expect(save().disabled).toBe(false);
    await fireEvent.click(save());
    await settle();
    expect(h.b.called('key_update')).toEqual([
      { accountId: cf.id, keyId: 'cf1', changes: { name: null, description: null, scopes: ['build', 'pipeline'], project_id: null, expires_at: null, clear_expiry: false, action_when_leaked: null, support_sessions: null, permissions: null } },
    ]);
    expect(onclose).toHaveBeenCalled();
  });

  it('changes a key’s permissions and expiry, from what it has now (OpenAI)', async () => {
    await open(key('openai', oai.id, 'proj_1/key_1', { name: 'reader', permissions: { mode: 'read_only', resources: {} } }));
    expect((screen.getByRole('radio', { name: 'Read only' }) as HTMLInputElement).checked).toBe(true);
    expect(save().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('radio', { name: 'Restricted' }));
    expect(save().disabled).toBe(true);
    expect(document.querySelector('[data-error-for=permissions]')?.textContent).toMatch(/at least one/);
    await fireEvent.change(screen.getByLabelText('Models'), { target: { value: 'read' } });
    await fireEvent.click(screen.getByLabelText(/Set…/));
    await fireEvent.input(screen.getByLabelText('New expiry date and time'), { target: { value: '2999-01-02T03:04' } });
    await fireEvent.click(save());
    await settle();
    expect(h.b.called('key_update')[0]?.changes).toMatchObject({
      permissions: { mode: 'restricted', resources: { models: 'read' } },
      expires_at: new Date('2999-01-02T03:04').toISOString(),
      clear_expiry: false,
    });
  });

  it('says what is wrong next to the field, and will not save it', async () => {
    await open(key('codefresh', cf.id, 'cf1', { name: 'ci', scopes: ['build'] }));
    const name = screen.getByLabelText('Name');
    expect(document.activeElement).toBe(name);
    await fireEvent.input(name, { target: { value: ' ' } });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The name must not be empty');
    await fireEvent.click(screen.getByRole('checkbox', { name: /build/ }));
    expect(document.querySelector('[data-error-for=scopes]')?.textContent).toBe('Choose at least one scope');
    expect(save().disabled).toBe(true);
  });

  it('puts a backend validation error next to its field', async () => {
    await open(key('codefresh', cf.id, 'cf1', { name: 'ci' }));
    h.b.failures.key_update = [{ code: 'validation', message: 'name: already taken', field: 'name' }];
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'taken' } });
    await fireEvent.click(save());
    await settle();
    expect(document.querySelector('[data-error-for=name]')?.textContent).toBe('name: already taken');
  });

  it('keeps the key’s project a choice when the vendor does not list it', async () => {
    const record = key('scaleway', scw.id, 'SCW1', { description: 'old' });
    record.extra = { ...record.extra, default_project_id: 'p-gone' } as KeyRecord['extra'];
    await open(record);
    const project = screen.getByLabelText('Default project') as HTMLSelectElement;
    expect(project.value).toBe('p-gone');
    expect([...project.options].map((o) => o.value)).toEqual(['p-gone', 'p1']);
    expect(screen.getByLabelText('Description').tagName).toBe('TEXTAREA');
    await fireEvent.change(project, { target: { value: 'p1' } });
    await fireEvent.input(screen.getByLabelText('Description'), { target: { value: 'new' } });
    await fireEvent.click(save());
    await settle();
    expect(h.b.called('key_update')[0]?.changes).toEqual({ name: null, description: 'new', scopes: null, project_id: 'p1', expires_at: null, clear_expiry: false, action_when_leaked: null, support_sessions: null, permissions: null });
  });

  it('changes the expiry, the leak action and support sessions where the vendor lets them change', async () => {
    const record = key('ibm', ibm.id, 'ApiKey-1', { name: 'ci', expires_at: '2030-01-01T00:00:00Z' });
    record.extra = { ...record.extra, action_when_leaked: 'disable', support_sessions: false } as KeyRecord['extra'];
    await open(record);
    expect(document.getElementById('edit-expiry-now')?.textContent).toMatch(/2030/);
    expect(save().disabled).toBe(true);
    await fireEvent.click(document.getElementById('edit-expiry-change') as HTMLInputElement);
    await fireEvent.input(document.getElementById('edit-expires') as HTMLInputElement, { target: { value: '2031-02-03T04:05' } });
    await fireEvent.change(document.getElementById('edit-leak') as HTMLSelectElement, { target: { value: 'delete' } });
    await fireEvent.click(document.getElementById('edit-support-sessions') as HTMLInputElement);
    await fireEvent.click(save());
    await settle();
    const changes = h.b.called('key_update')[0]?.changes as Record<string, unknown>;
    expect(changes.expires_at).toBe(new Date('2031-02-03T04:05').toISOString());
    expect(changes.clear_expiry).toBe(false);
    expect(changes.action_when_leaked).toBe('delete');
    expect(changes.support_sessions).toBe(true);
    expect(changes.name).toBeNull();
  });

  it('removes the expiry when the vendor can, and refuses a past date', async () => {
    await open(key('ibm', ibm.id, 'ApiKey-1', { name: 'ci', expires_at: '2030-01-01T00:00:00Z' }));
    await fireEvent.click(document.getElementById('edit-expiry-change') as HTMLInputElement);
    await fireEvent.input(document.getElementById('edit-expires') as HTMLInputElement, { target: { value: '2001-01-01T00:00' } });
    expect(document.querySelector('[data-error-for=expires_at]')?.textContent).toBe('The expiry date is in the past');
    expect(save().disabled).toBe(true);
    await fireEvent.click(document.getElementById('edit-expiry-remove') as HTMLInputElement);
    await fireEvent.click(save());
    await settle();
    const changes = h.b.called('key_update')[0]?.changes as Record<string, unknown>;
    expect(changes.clear_expiry).toBe(true);
    expect(changes.expires_at).toBeNull();
  });

  it('offers no removal where the vendor can only move the date, and no fields it lacks', async () => {
    await open(key('scaleway', scw.id, 'SCW1', { description: 'd', expires_at: '2030-01-01T00:00:00Z' }));
    expect(document.getElementById('edit-expiry-change')).not.toBeNull();
    expect(document.getElementById('edit-expiry-remove')).toBeNull();
    expect(document.getElementById('edit-leak')).toBeNull();
    expect(document.getElementById('edit-support-sessions')).toBeNull();
  });
});
