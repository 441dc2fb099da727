import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { reveal } from '../../lib/reveal.svelte';
import { toRow } from '../../lib/keys';
import { resetStores, settle } from '../../test/app';
import { backend } from '../../test/backend';
import { account, CAPS, key } from '../../test/fixtures';
import type { UsedInFile } from '../../lib/types';
import RotateKeyDialog from './RotateKeyDialog.svelte';

const ibm = account('ibm');

async function open(usedIn: UsedInFile[] = []) {
  const record = key('ibm', ibm.id, 'ApiKey-1', { name: 'ci' });
  h.b = backend({ accounts: [ibm], keys: { [ibm.id]: [record] } });
  h.b.handlers.key_used_in = () => usedIn;
  const caps = CAPS.ibm;
  const onclose = vi.fn();
  render(RotateKeyDialog, { row: toRow(record, ibm, caps.vendor_name, Date.now()), caps, onclose });
  await settle();
  return onclose;
}

describe('RotateKeyDialog', () => {
  beforeEach(() => resetStores());

  it('shows the plan, runs it, shows the result, then the new secret when asked', async () => {
    const onclose = await open();
    expect(screen.getByTestId('rotate-plan').textContent).toContain('ci-rotated-20261204');
    expect(h.b.called('rotation_plan')).toEqual([
      { accountId: ibm.id, keyId: 'ApiKey-1', choice: { name: null, retire: 'delete', graceDays: null, updateFile: null, alsoUpdate: [] } },
    ]);
    await fireEvent.click(screen.getByTestId('rotate-run'));
    await settle();
    expect(h.b.called('rotate_key')).toHaveLength(1);
    const result = screen.getByTestId('rotate-result');
    expect(result.dataset.step).toBe('done');
    expect(result.textContent).toContain('was deleted');
    // Held, but the panel stays shut so it does not cover the result.
    expect(reveal.pending.map((p) => p.handle)).toEqual(['sec_k_rot_ApiKey-1']);
    expect(reveal.open).toBe(false);
    expect(onclose).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('rotate-show-secret'));
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(reveal.handle).toBe('sec_k_rot_ApiKey-1');
  });

  it('opens the reveal panel on Close when the new secret went nowhere yet', async () => {
    const onclose = await open();
    await fireEvent.click(screen.getByTestId('rotate-run'));
    await settle();
    expect(reveal.open).toBe(false);
    await fireEvent.click(screen.getByTestId('rotate-close'));
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(reveal.handle).toBe('sec_k_rot_ApiKey-1');
  });

  it('asks for a new plan when the choice changes, with a grace period to keep the old key', async () => {
    await open();
    await fireEvent.change(screen.getByTestId('rotate-retire'), { target: { value: 'keep' } });
    await settle();
    const plans = h.b.called('rotation_plan');
    expect(plans[plans.length - 1].choice).toEqual({ name: null, retire: 'keep', graceDays: 7, updateFile: null, alsoUpdate: [] });
  });

  it('says why a key cannot be rotated and offers no Rotate', async () => {
    await open();
    h.b.failures.rotation_plan = [
      { code: 'quota_exceeded', message: 'at limit: delete one of k2 first', field: null, retry_after_secs: null, vendor: null, recovered: null },
    ];
    await fireEvent.change(screen.getByTestId('rotate-retire'), { target: { value: 'disable' } });
    await settle();
    expect(screen.getByTestId('rotate-plan-error').textContent).toContain('at limit');
    expect((screen.getByTestId('rotate-run') as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers the files that hold the key, and one picked in the backend dialog, by token', async () => {
    await open([
      { token: 'file-1', path: '/home/u/.ibm/apikey.json', what: 'apikey', remembered: true },
      { token: null, path: '/home/u/notes.pem', what: 'PEM', remembered: true },
    ]);
    const offered = screen.getAllByTestId('rotate-file');
    expect(offered).toHaveLength(1);
    expect(offered[0].textContent).toContain('/home/u/.ibm/apikey.json');
    expect(screen.getByTestId('rotate-by-hand').textContent).toContain('/home/u/notes.pem');

    await fireEvent.click(offered[0].querySelector('input') as HTMLInputElement);
    await settle();
    let plans = h.b.called('rotation_plan');
    expect((plans[plans.length - 1].choice as { updateFile: string }).updateFile).toBe('file-1');

    // "Update a file…": the backend's dialog picks; this page only gets a token back.
    h.b.picked = '/home/u/work/.env';
    await fireEvent.click(screen.getByTestId('rotate-pick-file'));
    await settle();
    expect(h.b.called('rotation_pick_file')).toEqual([{ accountId: ibm.id, keyId: 'ApiKey-1' }]);
    expect(screen.getAllByTestId('rotate-file')).toHaveLength(2);
    plans = h.b.called('rotation_plan');
    expect((plans[plans.length - 1].choice as { updateFile: string }).updateFile).toBe('file-picked');

    await fireEvent.click(screen.getByTestId('rotate-run'));
    await settle();
    const run = h.b.called('rotate_key');
    expect((run[0].choice as { updateFile: string }).updateFile).toBe('file-picked');
    expect(JSON.stringify(run[0])).not.toContain('/home/u');
  });

  it('shows why a picked file cannot be updated, and cancelling picks nothing', async () => {
    await open();
    h.b.picked = null;
    await fireEvent.click(screen.getByTestId('rotate-pick-file'));
    await settle();
    expect(screen.queryAllByTestId('rotate-file')).toHaveLength(0);
    h.b.failures.rotation_pick_file = [
      { code: 'validation', message: '/tmp/x holds no profile with the key', field: 'update_file', retry_after_secs: null, vendor: null, recovered: null },
    ];
    await fireEvent.click(screen.getByTestId('rotate-pick-file'));
    await settle();
    expect(screen.getByTestId('rotate-pick-error').textContent).toContain('holds no profile');
    expect(screen.getByTestId('rotate-plan')).toBeTruthy();
  });

  it('updates more found files once the new key works, and lists how each went', async () => {
    await open([
      { token: 'file-1', path: '/home/u/.ibm/apikey.json', what: 'apikey', remembered: true },
      { token: 'file-2', path: '/home/u/ci/.env', what: 'IBMCLOUD_API_KEY', remembered: true },
    ]);
    await fireEvent.click(screen.getAllByTestId('rotate-file')[0].querySelector('input') as HTMLInputElement);
    await settle();
    // The primary file is not offered again as an extra.
    const extras = screen.getAllByTestId('rotate-also');
    expect(extras).toHaveLength(1);
    expect(extras[0].textContent).toContain('/home/u/ci/.env');
    await fireEvent.click(extras[0].querySelector('input') as HTMLInputElement);
    await settle();
    h.b.handlers.rotate_key = () => ({
      id: 'rot_0123456789abcdef',
      account_id: ibm.id,
      old_key_id: 'ApiKey-1',
      old_key: 'deleted',
      new_key_id: 'k2',
      new_key: null,
      secret: null,
      step: 'done',
      failure: null,
      delivered: 'apikey in /home/u/.ibm/apikey.json',
      retire: 'delete',
      grace_until: null,
      journal_left: false,
      summary: 'Rotated. Also updated 0 more files; 1 could not be updated (see each).',
      also_updated: [{ path: '/home/u/ci/.env', updated: null, error: 'the file changed' }],
    });
    await fireEvent.click(screen.getByTestId('rotate-run'));
    await settle();
    const [call] = h.b.called('rotate_key');
    expect(call.choice).toMatchObject({ updateFile: 'file-1', alsoUpdate: ['file-2'] });
    const also = screen.getByTestId('rotate-also-result');
    expect(also.textContent).toContain('/home/u/ci/.env');
    expect(also.textContent).toContain('not updated — the file changed');
  });
});
