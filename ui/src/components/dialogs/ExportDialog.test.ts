import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { toaster } from '../../lib/toasts.svelte';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import ExportDialog from './ExportDialog.svelte';

const KEYS = [
  { accountId: 'acc-ibm', keyId: 'ApiKey-1' },
  { accountId: 'acc-cf', keyId: 'cf-1' },
];

async function open() {
  h.b = backend({});
  const onclose = vi.fn();
  render(ExportDialog, { keys: KEYS, scope: 'Every key: 2 keys of 2 accounts', onclose });
  await settle();
  return onclose;
}

describe('ExportDialog', () => {
  beforeEach(() => resetStores());

  it('previews Terraform first, then the format picked, for the keys it was given', async () => {
    await open();
    expect(h.b.called('inventory_preview')).toEqual([{ format: 'terraform', keys: KEYS }]);
    expect(screen.getByTestId('export-preview').textContent).toContain('# Terraform');
    expect(screen.getByTestId('export-count').textContent).toMatch(/2 keys of\s+2 accounts/);
    await fireEvent.click(screen.getByLabelText(/CSV/));
    await settle();
    expect(screen.getByTestId('export-preview').textContent).toContain('account,account_id');
  });

  it('saves where the backend dialog says, names no path itself, and closes', async () => {
    const onclose = await open();
    await fireEvent.click(screen.getByTestId('export-save'));
    await settle();
    expect(h.b.called('inventory_export')).toEqual([{ format: 'terraform', keys: KEYS }]);
    expect(onclose).toHaveBeenCalled();
    expect(toaster.items.map((t) => t.message)).toContain('Exported 2 keys to /home/u/saved');
  });

  it('stays open when the save dialog is cancelled, and says why an export failed', async () => {
    const onclose = await open();
    h.b.picked = null;
    await fireEvent.click(screen.getByTestId('export-save'));
    await settle();
    expect(onclose).not.toHaveBeenCalled();
    h.b.failures.inventory_export = [
      { code: 'io', message: 'could not write /x/keys.tf', field: null, retry_after_secs: null, vendor: null, recovered: null },
    ];
    await fireEvent.click(screen.getByTestId('export-save'));
    await settle();
    expect(screen.getByTestId('export-error').textContent).toContain('could not write');
  });
});
