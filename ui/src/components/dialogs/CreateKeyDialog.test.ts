import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { inventory } from '../../lib/inventory.svelte';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import { account, VENDORS } from '../../test/fixtures';
import CreateKeyDialog from './CreateKeyDialog.svelte';

const ibm = account('ibm');
const oci = account('oci');
const cf = account('codefresh');
const oai = account('openai');
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n';

async function open(accountId: string) {
  h.b = backend({ accounts: [ibm, oci, cf, oai] });
  h.b.handlers.create_options = () => ({ owners: [], projects: [{ id: 'proj_1', name: 'Default' }] });
  inventory.vendors = VENDORS;
  inventory.setAccounts(h.b.accounts);
  const onclose = vi.fn();
  render(CreateKeyDialog, { accountId, onclose });
  await settle();
  return onclose;
}

async function submit(): Promise<Record<string, unknown> | undefined> {
  await fireEvent.click(document.getElementById('create-submit') as HTMLElement);
  await settle();
  return h.b.called('key_create')[0]?.spec as Record<string, unknown> | undefined;
}

describe('CreateKeyDialog', () => {
  beforeEach(() => resetStores());

  it('sends what every field of the form says (IBM)', async () => {
    const onclose = await open(ibm.id);
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'deploy' } });
    await fireEvent.input(screen.getByLabelText('Description (optional)'), { target: { value: 'ci' } });
    await fireEvent.click(screen.getByLabelText('Custom…'));
    await fireEvent.input(screen.getByLabelText('Expiry date and time'), { target: { value: '2999-01-02T03:04' } });
    await fireEvent.change(screen.getByLabelText('IAM identity (optional)'), { target: { value: '__other__' } });
    await fireEvent.change(screen.getByLabelText('Owner kind'), { target: { value: 'service_id' } });
    await fireEvent.input(screen.getByLabelText('IAM identity ID'), { target: { value: 'ServiceId-1' } });
    await fireEvent.click(screen.getByLabelText(/Create locked/));
    await fireEvent.click(screen.getByLabelText('Create disabled'));
    await fireEvent.change(screen.getByLabelText('If the key leaks'), { target: { value: 'delete' } });
    expect(await submit()).toEqual({
      name: 'deploy',
      description: 'ci',
      expires_at: new Date('2999-01-02T03:04').toISOString(),
      owner: { kind: 'service_id', id: 'ServiceId-1' },
      project_id: null,
      scopes: [],
      locked: true,
      disabled: true,
      action_when_leaked: 'delete',
      public_key_pem: null,
      key_bits: null,
      support_sessions: false,
      permissions: null,
    });
    expect(onclose).toHaveBeenCalled();
  });

  it('generates a key pair of the chosen size (OCI)', async () => {
    await open(oci.id);
    await fireEvent.change(screen.getByLabelText('Key size'), { target: { value: '4096' } });
    expect(await submit()).toMatchObject({ key_bits: 4096, public_key_pem: null });
  });

  it('uploads the user’s own public key instead (OCI)', async () => {
    await open(oci.id);
    await fireEvent.click(screen.getByLabelText('Upload a public key I already have (PEM)'));
    await fireEvent.input(screen.getByLabelText('Public key (PEM)'), { target: { value: 'not a key' } });
    expect(await submit()).toBeUndefined();
    expect(document.querySelector('[data-error-for=public_key_pem]')?.textContent).toContain('Paste a PEM public key');
    expect(screen.getByLabelText('Public key (PEM)').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(screen.getByLabelText('Public key (PEM)'), { target: { value: PEM } });
    expect(await submit()).toMatchObject({ key_bits: null, public_key_pem: PEM });
  });

  it('sends the scopes in the order they were ticked (Codefresh)', async () => {
    await open(cf.id);
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    await fireEvent.click(screen.getByRole('checkbox', { name: /project/ }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /build/ }));
    expect(await submit()).toMatchObject({ scopes: ['project', 'build'] });
  });

  it('offers All, Restricted and Read only, and per-resource levels when restricted (OpenAI)', async () => {
    await open(oai.id);
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'reader' } });
    await fireEvent.change(screen.getByLabelText(/^Project/), { target: { value: 'proj_1' } });
    const modes = screen.getAllByRole('radio', { name: /^(All|Restricted|Read only)$/ }).map((r) => r.parentElement?.textContent?.trim());
    expect(modes).toEqual(['All', 'Restricted', 'Read only']);
    // All is the default, and is not sent.
    expect(screen.queryByLabelText('Models')).toBeNull();
    await fireEvent.click(screen.getByRole('radio', { name: 'Restricted' }));
    const models = screen.getByLabelText('Models') as HTMLSelectElement;
    expect([...models.options].map((o) => o.textContent)).toEqual(['None', 'Read']);
    const files = screen.getByLabelText('Files') as HTMLSelectElement;
    expect([...files.options].map((o) => o.textContent)).toEqual(['None', 'Read', 'Write']);
    // Restricted to nothing: refused next to the field, nothing sent.
    expect(await submit()).toBeUndefined();
    expect(document.querySelector('[data-error-for=permissions]')?.textContent).toMatch(/at least one/);
    await fireEvent.change(models, { target: { value: 'read' } });
    await fireEvent.change(files, { target: { value: 'write' } });
    const spec = await submit();
    expect(spec?.permissions).toEqual({ mode: 'restricted', resources: { models: 'read', files: 'write' } });
    expect(spec?.project_id).toBe('proj_1');
  });

  it('sends read only as such (OpenAI)', async () => {
    await open(oai.id);
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'reader' } });
    await fireEvent.change(screen.getByLabelText(/^Project/), { target: { value: 'proj_1' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Read only' }));
    expect((await submit())?.permissions).toEqual({ mode: 'read_only', resources: {} });
  });

  it('sends nothing while a field is wrong, and says so next to it', async () => {
    await open(cf.id);
    expect(await submit()).toBeUndefined();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    expect(await submit()).toBeUndefined();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    expect(document.querySelector('[data-error-for=scopes]')?.textContent).toBe('Choose at least one scope');
  });
});
