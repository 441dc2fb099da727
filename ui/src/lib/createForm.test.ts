import { describe, expect, it } from 'vitest';
import { CAPS } from '../test/fixtures';
import { emptyForm, OWNER_OTHER, ownerValue, quotaFor, toNewKey } from './createForm';
import type { Owner } from './types';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const owners: Owner[] = [
  { kind: 'user', id: 'ocid1.user.me', name: "this account's user" },
  { kind: 'user', id: 'ocid1.user.other', name: 'Bob' },
];

describe('toNewKey', () => {
  it('sends only the fields the vendor has', () => {
    const form = { ...emptyForm(CAPS.oci), name: 'ignored', description: 'ignored', expiry: '30' as const };
    expect(toNewKey(CAPS.oci, form, owners, NOW)).toEqual({
      name: null,
      description: null,
      expires_at: null,
      owner: null,
      project_id: null,
      scopes: [],
      locked: false,
      disabled: false,
      action_when_leaked: null,
      public_key_pem: null,
      key_bits: 2048,
      support_sessions: false,
      permissions: null,
    });
  });

  it('turns an expiry preset into a date that many days ahead', () => {
    const form = { ...emptyForm(CAPS.ibm), name: 'a', expiry: '90' as const };
    expect(toNewKey(CAPS.ibm, form, [], NOW).expires_at).toBe(new Date(NOW + 90 * 86_400_000).toISOString());
    const custom = { ...emptyForm(CAPS.ibm), expiry: 'custom' as const, expiresAt: '' };
    expect(toNewKey(CAPS.ibm, custom, [], NOW).expires_at).toBe('invalid');
  });

  it('takes a listed owner, or a typed id of the chosen kind', () => {
    const listed = { ...emptyForm(CAPS.oci), owner: ownerValue(owners[1]) };
    expect(toNewKey(CAPS.oci, listed, owners, NOW).owner).toEqual({ kind: 'user', id: 'ocid1.user.other' });
    const typed = { ...emptyForm(CAPS.ibm), owner: OWNER_OTHER, otherOwnerKind: 'service_id' as const, otherOwnerId: ' iam-ServiceId-1 ' };
    expect(toNewKey(CAPS.ibm, typed, [], NOW).owner).toEqual({ kind: 'service_id', id: 'iam-ServiceId-1' });
  });

  it('leaves a typed id\'s kind to the vendor when it has several, unless one is chosen', () => {
    expect(emptyForm(CAPS.scaleway).otherOwnerKind).toBe('other');
    expect(emptyForm(CAPS.oci).otherOwnerKind).toBe('user');
    const typed = { ...emptyForm(CAPS.scaleway), owner: OWNER_OTHER, otherOwnerId: 'u-1' };
    expect(toNewKey(CAPS.scaleway, typed, [], NOW).owner).toEqual({ kind: 'other', id: 'u-1' });
  });

  it('allows support sessions only where the vendor has them', () => {
    const form = { ...emptyForm(CAPS.ibm), name: 'a', supportSessions: true };
    expect(toNewKey(CAPS.ibm, form, [], NOW).support_sessions).toBe(true);
    expect(toNewKey(CAPS.scaleway, form, [], NOW).support_sessions).toBe(false);
  });

  it('uploads a public key instead of a key size when asked to', () => {
    const form = { ...emptyForm(CAPS.oci), keySource: 'upload' as const, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAA\n' };
    const s = toNewKey(CAPS.oci, form, owners, NOW);
    expect(s.public_key_pem).toContain('BEGIN PUBLIC KEY');
    expect(s.key_bits).toBeNull();
  });

  it('passes lock, disable and the leak action where the vendor offers them', () => {
    const form = { ...emptyForm(CAPS.ibm), name: 'a', locked: true, disabled: true, leakAction: 'delete' };
    const s = toNewKey(CAPS.ibm, form, [], NOW);
    expect([s.locked, s.disabled, s.action_when_leaked]).toEqual([true, true, 'delete']);
    const cf = toNewKey(CAPS.codefresh, { ...form, scopes: ['build'] }, [], NOW);
    expect([cf.locked, cf.disabled, cf.action_when_leaked, cf.scopes]).toEqual([false, false, null, ['build']]);
  });
});

describe('quotaFor', () => {
  const counts: Record<string, number> = { 'ocid1.user.me': 3, 'ocid1.user.other': 1 };
  const keysOf = (id: string) => counts[id] ?? 0;

  it('counts the keys of the picked owner against the vendor limit', () => {
    const mine = { ...emptyForm(CAPS.oci), owner: ownerValue(owners[0]) };
    expect(quotaFor(CAPS.oci, mine, owners, keysOf)).toEqual({ limit: 3, used: 3, owner: "this account's user" });
    const bob = { ...emptyForm(CAPS.oci), owner: ownerValue(owners[1]) };
    expect(quotaFor(CAPS.oci, bob, owners, keysOf)).toEqual({ limit: 3, used: 1, owner: 'Bob' });
  });

  it('uses the account’s own identity when no owner is picked, and nothing for vendors without a limit', () => {
    expect(quotaFor(CAPS.oci, emptyForm(CAPS.oci), owners, keysOf)?.used).toBe(3);
    expect(quotaFor(CAPS.ibm, emptyForm(CAPS.ibm), owners, keysOf)).toBeNull();
  });
});
