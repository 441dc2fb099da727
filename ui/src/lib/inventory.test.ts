import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { resetStores } from '../test/app';
import { backend } from '../test/backend';
import { account, key } from '../test/fixtures';
import { inventory } from './inventory.svelte';

const ibm = account('ibm');
const cf = account('codefresh');

async function loaded(): Promise<void> {
  await inventory.loadVendors();
  await inventory.loadAccounts();
  await inventory.refresh();
}

describe('refresh', () => {
  beforeEach(() => {
    resetStores();
    h.b = backend({
      accounts: [ibm, cf],
      keys: { [ibm.id]: [key('ibm', ibm.id, 'ApiKey-1')], [cf.id]: [key('codefresh', cf.id, 'cf-1')] },
    });
  });

  it('sends the revisions it holds and keeps its rows when nothing changed', async () => {
    await loaded();
    const rows = inventory.rows;
    expect(rows.map((r) => r.record.id)).toEqual(['ApiKey-1', 'cf-1']);
    expect(h.b.called('keys_list')[0]).toEqual({ known: {} });

    await inventory.refresh();
    const sent = h.b.called('keys_list')[1].known as Record<string, string>;
    expect(Object.keys(sent).sort()).toEqual([cf.id, ibm.id].sort());
    // The same array: nothing re-sorted, nothing re-rendered.
    expect(inventory.rows).toBe(rows);
    expect(inventory.state(ibm.id)).toMatchObject({ status: 'ok', count: 1 });
  });

  it('takes the keys of an account that changed and keeps the others', async () => {
    await loaded();
    const cfRow = inventory.rows[1];
    h.b.keys[ibm.id] = [...h.b.keys[ibm.id], key('ibm', ibm.id, 'ApiKey-2')];
    await inventory.refresh();
    expect(inventory.rows.map((r) => r.record.id)).toEqual(['ApiKey-1', 'ApiKey-2', 'cf-1']);
    expect(inventory.rows[2]).toBe(cfRow);
    expect(inventory.state(ibm.id).count).toBe(2);
  });

  it('asks for an account in full again once a key changed here', async () => {
    await loaded();
    inventory.remove(ibm.id, 'ApiKey-1');
    expect(inventory.rows.map((r) => r.record.id)).toEqual(['cf-1']);
    // The vendor still has it (say the delete failed there): the next refresh shows it again.
    await inventory.refresh();
    const sent = h.b.called('keys_list')[1].known as Record<string, string>;
    expect(Object.keys(sent)).toEqual([cf.id]);
    expect(inventory.rows.map((r) => r.record.id)).toEqual(['ApiKey-1', 'cf-1']);
  });

  it('marks a key expired when its expiry passed, though the listing is unchanged', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    h.b.keys[ibm.id] = [key('ibm', ibm.id, 'ApiKey-1', { expires_at: soon })];
    await loaded();
    expect(inventory.rows[0].badges).toEqual(['active']);
    vi.useFakeTimers({ now: Date.now() + 120_000, toFake: ['Date'] });
    try {
      await inventory.refresh();
    } finally {
      vi.useRealTimers();
    }
    expect(h.b.called('keys_list')[1].known).toHaveProperty(ibm.id);
    expect(inventory.rows[0].badges).toEqual(['expired']);
  });
});
