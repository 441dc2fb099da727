// The account form's values and how they become the backend's input. Which fields exist comes
// from the vendor's `account_fields`; a field is a setting, the secret or the passphrase.
import type { AccountChanges, AccountField, AccountInput, AccountSettings, VendorId } from './types';

export const EMPTY_SETTINGS: AccountSettings = {
  base_url: null,
  iam_url: null,
  account_id: null,
  iam_id: null,
  organization_id: null,
  project_id: null,
  access_key: null,
  tenancy: null,
  user: null,
  region: null,
  fingerprint: null,
};

export type FieldRole = 'setting' | 'secret' | 'passphrase';

export function roleOf(field: AccountField): FieldRole {
  if (field.name === 'passphrase') return 'passphrase';
  if (field.secret) return 'secret';
  return 'setting';
}

export interface AccountFormState {
  name: string;
  values: Record<string, string>;
}

export function formFrom(fields: AccountField[], name = '', settings?: AccountSettings): AccountFormState {
  const values: Record<string, string> = {};
  for (const f of fields) {
    const current = roleOf(f) === 'setting' ? (settings as Record<string, string | null> | undefined)?.[f.name] : null;
    values[f.name] = current ?? '';
  }
  return { name, values };
}

function trimmed(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

/** Required fields left empty, by field name. When editing, an empty secret keeps the stored one. */
export function missing(fields: AccountField[], form: AccountFormState, editing: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (form.name.trim() === '') out.name = 'Give the account a name';
  for (const f of fields) {
    if (!f.required || trimmed(form.values[f.name]) !== null) continue;
    if (editing && roleOf(f) !== 'setting') continue;
    out[f.name] = `${f.label} is required`;
  }
  return out;
}

function settingsOf(fields: AccountField[], form: AccountFormState, base: AccountSettings): AccountSettings {
  const settings: AccountSettings = { ...base };
  for (const f of fields) {
    if (roleOf(f) === 'setting' && f.name in EMPTY_SETTINGS)
      (settings as unknown as Record<string, string | null>)[f.name] = trimmed(form.values[f.name]);
  }
  return settings;
}

function secretOf(fields: AccountField[], form: AccountFormState, role: FieldRole): string | null {
  const f = fields.find((x) => roleOf(x) === role);
  if (!f) return null;
  // Multi-line secrets (PEM keys) keep their inner line breaks.
  const v = form.values[f.name] ?? '';
  return v.trim() === '' ? null : f.multiline ? v.trim() + '\n' : v.trim();
}

export function toInput(vendor: VendorId, fields: AccountField[], form: AccountFormState, skipTest = false): AccountInput {
  return {
    name: form.name.trim(),
    vendor,
    settings: settingsOf(fields, form, EMPTY_SETTINGS),
    secret: secretOf(fields, form, 'secret') ?? '',
    passphrase: secretOf(fields, form, 'passphrase'),
    skipTest,
  };
}

export function toChanges(
  fields: AccountField[],
  form: AccountFormState,
  before: { name: string; settings: AccountSettings },
): AccountChanges {
  const settings = settingsOf(fields, form, before.settings);
  const changed = JSON.stringify(settings) !== JSON.stringify(before.settings);
  return {
    name: form.name.trim() !== before.name ? form.name.trim() : null,
    settings: changed ? settings : null,
    secret: secretOf(fields, form, 'secret'),
    passphrase: secretOf(fields, form, 'passphrase'),
  };
}
