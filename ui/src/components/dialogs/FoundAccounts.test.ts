import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { importedRow, listedRow, rowText } from '../../lib/found';
import type { Account, Candidate, Findings, FoundInfo, Imported } from '../../lib/types';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import { account } from '../../test/fixtures';
import FoundAccounts from './FoundAccounts.svelte';

function info(handle: string, vendor: FoundInfo['vendor'], name: string, source: string): FoundInfo {
  return { handle, vendor, via: 'config_file', profile: null, name, source, settings: { base_url: null, iam_url: null, account_id: null, iam_id: null, organization_id: null, project_id: null, access_key: null, tenancy: null, user: null, region: null, fingerprint: null } };
}

const scw = info('h-scw', 'scaleway', 'scaleway work', '~/.config/scw/config.yaml [work]');
const oci = info('h-oci', 'oci', 'oci DEFAULT', '~/.oci/config [DEFAULT]');
const cf = info('h-cf', 'codefresh', 'codefresh emu', '~/.cfconfig [emu]');
const existing: Account = { ...account('codefresh'), name: 'My Codefresh' };

const FINDINGS: Findings = {
  found: [
    { found: scw, existing: null },
    { found: oci, existing: null },
    { found: cf, existing },
  ],
  unreadable: [{ vendor: 'oci', source: '~/.oci/config [BROKEN]', error: { code: 'config', message: 'profile [BROKEN] has no `key_file`', field: null, retry_after_secs: null, vendor: null, recovered: null } }],
};

async function open(findings: Findings = FINDINGS) {
  h.b = backend();
  h.b.handlers.accounts_found = () => findings;
  const onimported = vi.fn();
  render(FoundAccounts, { onimported });
  await settle();
  return onimported;
}

describe('FoundAccounts', () => {
  beforeEach(() => resetStores());

  it('lists each find with where it came from, marks what is already added, and shows unreadable files', async () => {
    await open();
    expect(screen.getByRole('heading', { name: 'Found on this computer' })).toBeTruthy();
    expect(screen.getByText('~/.config/scw/config.yaml [work]')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Import scaleway work from ~/.config/scw/config.yaml [work]' })).toBeTruthy();
    expect(screen.getByText('Already added as My Codefresh')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Import codefresh emu/ })).toBeNull();
    expect(screen.getByTestId('found-unreadable').textContent).toMatch(/\[BROKEN\].*has no `key_file`/s);
  });

  it('imports by handle only, then reports the account added', async () => {
    const onimported = await open();
    const added: Account = { ...account('scaleway'), name: 'scaleway work' };
    const result: Imported = { found: scw, outcome: 'added', saved: { account: added, identity: { display: 'SCW… in org 1', warnings: [] } } };
    h.b.handlers.account_import = () => result;
    await fireEvent.click(screen.getByRole('button', { name: /Import scaleway work/ }));
    await settle();
    expect(h.b.called('account_import')).toEqual([{ handle: 'h-scw' }]);
    expect(screen.getByText('Added as scaleway work — SCW… in org 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Import scaleway work/ })).toBeNull();
    expect(onimported).toHaveBeenCalledWith(added);
  });

  it('says why an import failed and lets it be tried again', async () => {
    const onimported = await open();
    h.b.handlers.account_import = () => ({ found: oci, outcome: 'failed', error: { code: 'unauthorized', message: 'OCI rejected the signature' } });
    await fireEvent.click(screen.getByRole('button', { name: /Import oci DEFAULT/ }));
    await settle();
    expect(screen.getByText('Not added: OCI rejected the signature')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Import oci DEFAULT/ })).toBeTruthy();
    expect(onimported).not.toHaveBeenCalled();
  });

  it('shows nothing when nothing is found', async () => {
    await open({ found: [], unreadable: [] });
    expect(screen.queryByTestId('found-accounts')).toBeNull();
  });

  it('words each state of a row', () => {
    const c: Candidate = { found: scw, existing: null };
    expect(listedRow(c)).toEqual({ kind: 'new' });
    expect(rowText(listedRow({ found: cf, existing }))).toBe('Already added as My Codefresh');
    const present: Imported = { found: cf, outcome: 'already_present', account: existing };
    expect(rowText(importedRow(present))).toBe('Already added as My Codefresh');
    expect(rowText({ kind: 'importing' })).toMatch(/Testing the connection/);
  });
});
