import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { reveal } from '../lib/reveal.svelte';
import { resetStores, settle } from '../test/app';
import { backend } from '../test/backend';
import UsedIn from './UsedIn.svelte';

describe('UsedIn', () => {
  beforeEach(() => {
    resetStores();
    h.b = backend();
  });

  it('lists the files that hold the key, saying which Keyrack saved', async () => {
    h.b.handlers.key_used_in = () => [
      { token: 'file-1', path: '/home/u/.oci/config', what: 'profile CI', remembered: false },
      { token: null, path: '/home/u/keys/ci.pem', what: 'Private key (PEM)', remembered: true },
    ];
    render(UsedIn, { accountId: 'acc', keyId: 'k1', version: 1 });
    await settle();
    expect(h.b.called('key_used_in')).toEqual([{ accountId: 'acc', keyId: 'k1' }]);
    const items = screen.getByTestId('used-in').querySelectorAll('li');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('/home/u/.oci/config');
    expect(items[0].textContent).toContain('profile CI');
    expect(items[0].textContent).not.toContain('saved by Keyrack');
    expect(items[1].textContent).toContain('saved by Keyrack');
  });

  it('says when the key is found nowhere, and why it could not look', async () => {
    const { unmount } = render(UsedIn, { accountId: 'acc', keyId: 'k1', version: 1 });
    await settle();
    expect(screen.getByTestId('used-in').textContent).toContain('Not found');
    unmount();
    h.b.failures.key_used_in = [
      { code: 'not_found', message: 'no key k1', field: null, retry_after_secs: null, vendor: null, recovered: null },
    ];
    render(UsedIn, { accountId: 'acc', keyId: 'k1', version: 2 });
    await settle();
    expect(screen.getByTestId('used-in').textContent).toContain('no key k1');
  });

  it('looks again when a held secret is saved (a new file may hold the key)', async () => {
    render(UsedIn, { accountId: 'acc', keyId: 'k1', version: 1 });
    await settle();
    expect(h.b.called('key_used_in')).toHaveLength(1);
    reveal.pending = [];
    await settle();
    expect(h.b.called('key_used_in')).toHaveLength(2);
  });
});
