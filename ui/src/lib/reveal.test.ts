import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { backend } from '../test/backend';
import { key } from '../test/fixtures';
import { Reveal } from './reveal.svelte';
import type { PendingSecret } from './types';

function held(handle: string): PendingSecret {
  return { handle, record: key('ibm', 'a', handle), hint: '••••' + handle.slice(-4), created_at: '2026-01-01T00:00:00Z', saved: false, copied: false };
}

describe('Reveal', () => {
  let r: Reveal;
  beforeEach(() => {
    h.b = backend({ pending: [held('sec_0001'), held('sec_0002')], secrets: { sec_0001: 'first-secret', sec_0002: 'second-secret' } });
    r = new Reveal();
  });

  it('opens the oldest held secret on load, without asking for its text', async () => {
    await r.load();
    expect(r.handle).toBe('sec_0001');
    expect(r.shown).toBeNull();
    expect(h.b.called('secret_reveal')).toEqual([]);
  });

  it('asks for the secret only on Show, and forgets it on Hide', async () => {
    await r.load();
    await r.show();
    expect(h.b.called('secret_reveal')).toEqual([{ handle: 'sec_0001' }]);
    expect(r.shown).toBe('first-secret');
    r.hide();
    expect(r.shown).toBeNull();
  });

  it('forgets the shown secret on close, on switching, and on dismiss', async () => {
    await r.load();
    await r.show();
    r.openFor('sec_0002');
    expect(r.shown).toBeNull();
    await r.show();
    expect(r.shown).toBe('second-secret');
    r.close();
    expect([r.shown, r.handle]).toEqual([null, null]);

    r.openFor('sec_0001');
    await r.show();
    await r.dismiss();
    expect(r.shown).toBeNull();
    expect(h.b.called('secret_dismiss')).toEqual([{ handle: 'sec_0001' }]);
    expect(r.pending.map((p) => p.handle)).toEqual(['sec_0002']);
    expect(r.handle).toBe('sec_0002');
  });

  it('does not show a secret the user moved away from while it loaded', async () => {
    await r.load();
    const showing = r.show();
    r.openFor('sec_0002');
    await showing;
    expect(r.shown).toBeNull();
  });

  it('counts down a copy until the backend says the clipboard was cleared', async () => {
    await r.load();
    const before = Date.now();
    expect(await r.copy()).toBe(45);
    expect(r.clearsAt).toBeGreaterThanOrEqual(before + 45_000);
    expect(r.current?.copied).toBe(true);
    expect(r.atRisk).toBe(false);
    r.cleared('sec_other');
    expect(r.clearsAt).not.toBeNull();
    r.cleared('sec_0001');
    expect(r.clearsAt).toBeNull();
    expect(r.leftAlone).toBe(false);
  });

  it('says so when the timer found the clipboard changed and left it alone', async () => {
    await r.load();
    await r.copy();
    r.cleared('sec_0001', false);
    expect([r.clearsAt, r.leftAlone]).toEqual([null, true]);
    await r.copy();
    expect(r.leftAlone).toBe(false);
  });

  it('is at risk until saved or copied', async () => {
    await r.load();
    expect(r.atRisk).toBe(true);
    r.markSaved('sec_0001');
    expect(r.atRisk).toBe(false);
  });
});
