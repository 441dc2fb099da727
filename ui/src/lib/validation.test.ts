import { describe, expect, it } from 'vitest';
import { CAPS } from '../test/fixtures';
import type { KeyUpdate, NewKey } from './types';
import { hasErrors, refusal, validateKeyUpdate, validateNewKey } from './validation';

const NOW = Date.parse('2026-03-10T12:00:00Z');

const spec = (over: Partial<NewKey> = {}): NewKey => ({
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
  key_bits: null,
  support_sessions: false,
  permissions: null,
  ...over,
});

const update = (over: Partial<KeyUpdate> = {}): KeyUpdate => ({
  name: null,
  description: null,
  scopes: null,
  project_id: null,
  expires_at: null,
  clear_expiry: false,
  action_when_leaked: null,
  support_sessions: null,
  permissions: null,
  ...over,
});

describe('validateNewKey (mirrors core validate::new_key)', () => {
  it('requires what the vendor requires', () => {
    expect(validateNewKey(CAPS.ibm, spec(), NOW)).toEqual({ name: 'A name is required' });
    expect(validateNewKey(CAPS.scaleway, spec(), NOW)).toEqual({ owner: 'Choose the user or application the key is for' });
    expect(validateNewKey(CAPS.openai, spec({ name: 'bot' }), NOW)).toEqual({ project_id: 'Choose a project' });
    expect(validateNewKey(CAPS.codefresh, spec({ name: 'bot', scopes: [] }), NOW).scopes).toBe('Choose at least one scope');
    expect(
      validateNewKey(
        CAPS.openai,
        spec({ name: 'bot', project_id: 'proj_1', permissions: { mode: 'restricted', resources: {} } }),
        NOW,
      ),
    ).toEqual({ permissions: 'Give at least one resource read or write access' });
    expect(validateNewKey(CAPS.ibm, spec({ name: 'x', permissions: { mode: 'read_only', resources: {} } }), NOW).permissions).toBe(
      'IBM Cloud keys have no permissions to set',
    );
    expect(validateNewKey(CAPS.codefresh, spec({ name: 'ci' }), NOW)).toEqual({ scopes: 'Choose at least one scope' });
    expect(validateNewKey(CAPS.oci, spec(), NOW)).toEqual({});
  });

  it('rejects blank, too long and control-character text', () => {
    expect(validateNewKey(CAPS.ibm, spec({ name: '   ' }), NOW).name).toBe('The name must not be empty');
    expect(validateNewKey(CAPS.ibm, spec({ name: 'x'.repeat(241) }), NOW).name).toBe(
      '241 characters; IBM Cloud allows at most 240',
    );
    expect(validateNewKey(CAPS.ibm, spec({ name: 'x'.repeat(240) }), NOW)).toEqual({});
    // Characters, not UTF-16 units: 240 emoji are 240 characters.
    expect(validateNewKey(CAPS.ibm, spec({ name: '🔑'.repeat(240) }), NOW)).toEqual({});
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a\tb' }), NOW).name).toBe(
      'The name must not contain control characters',
    );
    expect(validateNewKey(CAPS.scaleway, spec({ description: 'd'.repeat(201), owner: { kind: 'user', id: 'u' } }), NOW)
      .description).toBe('201 characters; Scaleway allows at most 200');
  });

  it('refuses fields the vendor does not have', () => {
    expect(validateNewKey(CAPS.oci, spec({ name: 'x' }), NOW).name).toBe('Oracle Cloud (OCI) keys have no name');
    expect(validateNewKey(CAPS.oci, spec({ expires_at: '2027-01-01T00:00:00Z' }), NOW).expires_at).toBe(
      'Oracle Cloud (OCI) keys cannot be given an expiry date',
    );
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', scopes: ['build'] }), NOW).scopes).toBe('IBM Cloud keys have no scopes');
    expect(validateNewKey(CAPS.codefresh, spec({ name: 'a', locked: true, scopes: ['build'] }), NOW).locked).toBe(
      'Codefresh keys cannot be created locked',
    );
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', public_key_pem: '-----BEGIN PUBLIC KEY-----' }), NOW).public_key_pem).toBe(
      'IBM Cloud generates the secret itself',
    );
  });

  it('refuses an expiry in the past', () => {
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', expires_at: '2026-03-10T11:59:00Z' }), NOW).expires_at).toBe(
      'The expiry date is in the past',
    );
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', expires_at: 'invalid' }), NOW).expires_at).toBe('Not a date');
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', expires_at: '2026-03-11T00:00:00Z' }), NOW)).toEqual({});
  });

  it('checks owner kinds, scopes, leak actions and key sizes', () => {
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', owner: { kind: 'application', id: 'x' } }), NOW).owner).toBe(
      'IBM Cloud keys cannot belong to this kind of owner',
    );
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', owner: { kind: 'service_id', id: ' ' } }), NOW).owner).toBe(
      'The owner id must not be empty',
    );
    expect(validateNewKey(CAPS.codefresh, spec({ name: 'a', scopes: ['build', 'nope'] }), NOW).scopes).toBe('Unknown scope nope');
    expect(validateNewKey(CAPS.ibm, spec({ name: 'a', action_when_leaked: 'explode' }), NOW).action_when_leaked).toBe(
      'Unknown action explode',
    );
    expect(validateNewKey(CAPS.oci, spec({ key_bits: 1024 }), NOW).key_bits).toBe('Choose 2048 to 8192 bits');
    expect(validateNewKey(CAPS.oci, spec({ public_key_pem: 'not a pem' }), NOW).public_key_pem).toContain('PEM');
    expect(hasErrors(validateNewKey(CAPS.oci, spec({ key_bits: 4096 }), NOW))).toBe(false);
  });
});

describe('validateKeyUpdate (mirrors core validate::key_update)', () => {
  it('lets through only what the vendor can change', () => {
    expect(validateKeyUpdate(CAPS.ibm, update({ name: 'new' }))).toEqual({});
    expect(validateKeyUpdate(CAPS.scaleway, update({ name: 'new' })).name).toBe('Scaleway keys cannot be renamed');
    expect(validateKeyUpdate(CAPS.ibm, update({ scopes: ['build'] })).scopes).toBe('IBM Cloud key scopes cannot be changed');
    expect(validateKeyUpdate(CAPS.ibm, update({ project_id: 'p' })).project_id).toBe("IBM Cloud keys' project cannot be changed");
    expect(validateKeyUpdate(CAPS.scaleway, update({ project_id: 'p', description: '' }))).toEqual({});
  });

  it('requires a name when renaming and allows clearing a description', () => {
    expect(validateKeyUpdate(CAPS.ibm, update({ name: '' })).name).toBe('The name must not be empty');
    expect(validateKeyUpdate(CAPS.ibm, update({ description: '' }))).toEqual({});
    expect(validateKeyUpdate(CAPS.codefresh, update({ scopes: [] })).scopes).toBe('Choose at least one scope');
  });
});

describe('refusal', () => {
  it('puts a Validation error that names a field next to that field', () => {
    expect(refusal({ code: 'validation', message: 'name: already taken', field: 'name' })).toEqual({
      fields: { name: 'name: already taken' },
      error: null,
    });
  });

  it('shows any other refusal above the form', () => {
    const forbidden = { code: 'forbidden', message: 'HTTP 403' };
    expect(refusal(forbidden)).toEqual({ fields: {}, error: forbidden });
    expect(refusal({ code: 'validation', message: 'Too many keys' })).toEqual({
      fields: {},
      error: { code: 'validation', message: 'Too many keys' },
    });
    expect(refusal(new Error('lost'))).toEqual({ fields: {}, error: { code: 'internal', message: 'lost' } });
  });
});
