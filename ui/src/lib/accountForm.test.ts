import { describe, expect, it } from 'vitest';
import { EMPTY_SETTINGS, formFrom, missing, toChanges, toInput } from './accountForm';
import type { AccountField } from './types';

const field = (name: string, over: Partial<AccountField> = {}): AccountField => ({
  name,
  label: name,
  help: '',
  required: true,
  secret: false,
  multiline: false,
  ...over,
});

const OCI: AccountField[] = [
  field('tenancy'),
  field('user'),
  field('region'),
  // Computed from the private key when left empty.
  field('fingerprint', { required: false }),
  field('secret', { label: 'Private key', secret: true, multiline: true }),
  field('passphrase', { label: 'Passphrase', secret: true, required: false }),
];

describe('account form', () => {
  it('puts settings in settings and the credential aside', () => {
    const form = formFrom(OCI, 'prod');
    Object.assign(form.values, {
      tenancy: ' ocid1.tenancy.oc1..t ',
      user: 'ocid1.user.oc1..u',
      region: 'eu-frankfurt-1',
      fingerprint: 'aa:bb',
      secret: '\n-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n\n',
      passphrase: 'pw',
    });
    const input = toInput('oci', OCI, form);
    expect(input.settings).toEqual({
      ...EMPTY_SETTINGS,
      tenancy: 'ocid1.tenancy.oc1..t',
      user: 'ocid1.user.oc1..u',
      region: 'eu-frankfurt-1',
      fingerprint: 'aa:bb',
    });
    expect(input.secret).toBe('-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n');
    expect(input.passphrase).toBe('pw');
    expect(JSON.stringify(input.settings)).not.toContain('PRIVATE');
  });

  it('lists the required fields left empty', () => {
    const form = formFrom(OCI);
    expect(Object.keys(missing(OCI, form, false)).sort()).toEqual(['name', 'region', 'secret', 'tenancy', 'user']);
    // Editing: an empty secret keeps the stored one.
    const editing = formFrom(OCI, 'prod', { ...EMPTY_SETTINGS, tenancy: 't', user: 'u', region: 'r', fingerprint: 'f' });
    expect(missing(OCI, editing, true)).toEqual({});
  });

  it('sends only what changed when editing', () => {
    const before = { name: 'prod', settings: { ...EMPTY_SETTINGS, tenancy: 't', user: 'u', region: 'r', fingerprint: 'f' } };
    const form = formFrom(OCI, 'prod', before.settings);
    expect(toChanges(OCI, form, before)).toEqual({ name: null, settings: null, secret: null, passphrase: null });
    form.values.region = 'us-ashburn-1';
    form.name = 'production';
    const changes = toChanges(OCI, form, before);
    expect(changes.name).toBe('production');
    expect(changes.settings?.region).toBe('us-ashburn-1');
    expect(changes.secret).toBeNull();
  });
});
