// The create form's fields and how they become a `NewKey`. Which fields exist is decided by the
// vendor's Capabilities; this module only converts and never names a vendor.
import { permissionsForm, toPermissions, type PermissionsForm } from './permissions';
import type { Capabilities, NewKey, Owner, OwnerKind } from './types';
import { textOrNull } from './validation';

export const EXPIRY_PRESETS = [
  { id: 'never', label: 'Never', days: null },
  { id: '30', label: '30 days', days: 30 },
  { id: '90', label: '90 days', days: 90 },
  { id: '365', label: '1 year', days: 365 },
  { id: 'custom', label: 'Custom…', days: null },
] as const;

export type ExpiryChoice = (typeof EXPIRY_PRESETS)[number]['id'];

/** An expiry on edit: as it is, a new date, or none (the key never expires). */
export type ExpiryEdit = 'keep' | 'change' | 'remove';

/** A `datetime-local` value as an ISO time; `'invalid'` for what is not a date. */
export function localToIso(value: string): string {
  if (value.trim() === '') return 'invalid';
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString();
}

/** The owner picker: the default (none), one of the listed owners, or an id typed in. */
export const OWNER_DEFAULT = '';
export const OWNER_OTHER = '__other__';

export interface CreateFormState {
  name: string;
  description: string;
  expiry: ExpiryChoice;
  /** `datetime-local` value, for a custom expiry. */
  expiresAt: string;
  owner: string;
  otherOwnerKind: OwnerKind;
  otherOwnerId: string;
  projectId: string;
  scopes: string[];
  locked: boolean;
  disabled: boolean;
  leakAction: string;
  supportSessions: boolean;
  /** For vendors whose keys carry permissions; `null` otherwise. */
  permissions: PermissionsForm | null;
  keySource: 'generate' | 'upload';
  publicKeyPem: string;
  keyBits: number;
}

export function emptyForm(caps: Capabilities): CreateFormState {
  return {
    name: '',
    description: '',
    expiry: 'never',
    expiresAt: '',
    owner: OWNER_DEFAULT,
    // With several kinds the vendor works out which one a typed ID is, unless the user says.
    otherOwnerKind: caps.owner && caps.owner.kinds.length > 1 ? 'other' : (caps.owner?.kinds[0] ?? 'user'),
    otherOwnerId: '',
    projectId: '',
    scopes: [],
    locked: false,
    disabled: false,
    leakAction: '',
    supportSessions: false,
    permissions: caps.permissions ? permissionsForm(caps.permissions, null) : null,
    keySource: 'generate',
    publicKeyPem: '',
    keyBits: 2048,
  };
}

export function ownerValue(o: Owner): string {
  return `${o.kind}:${o.id}`;
}

function expiry(form: CreateFormState, now: number): string | null {
  if (form.expiry === 'never') return null;
  if (form.expiry === 'custom') {
    if (form.expiresAt.trim() === '') return 'invalid';
    const ms = new Date(form.expiresAt).getTime();
    return Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString();
  }
  const preset = EXPIRY_PRESETS.find((p) => p.id === form.expiry);
  return preset?.days ? new Date(now + preset.days * 86_400_000).toISOString() : null;
}

/** The request the form describes; fields the vendor lacks are left out (null / empty). */
export function toNewKey(caps: Capabilities, form: CreateFormState, owners: Owner[], now: number): NewKey {
  let owner: NewKey['owner'] = null;
  if (caps.owner) {
    if (form.owner === OWNER_OTHER) owner = { kind: form.otherOwnerKind, id: form.otherOwnerId.trim() };
    else if (form.owner !== OWNER_DEFAULT) {
      const o = owners.find((x) => ownerValue(x) === form.owner);
      if (o) owner = { kind: o.kind, id: o.id };
    }
  }
  const local = caps.secret_source === 'local_key_pair';
  const upload = caps.upload_public_key && form.keySource === 'upload';
  return {
    name: caps.name ? textOrNull(form.name) : null,
    description: caps.description ? textOrNull(form.description) : null,
    expires_at: caps.expiry ? expiry(form, now) : null,
    owner,
    project_id: caps.project ? textOrNull(form.projectId) : null,
    scopes: caps.scopes.length > 0 ? [...form.scopes] : [],
    locked: caps.lock_on_create && form.locked,
    disabled: caps.disable_on_create && form.disabled,
    action_when_leaked: caps.leak_actions.length > 0 && form.leakAction !== '' ? form.leakAction : null,
    public_key_pem: upload ? form.publicKeyPem : null,
    key_bits: local && !upload ? form.keyBits : null,
    support_sessions: caps.support_sessions && form.supportSessions,
    // "All" is the vendor's default, so it is not sent (an admin key, say, takes none).
    permissions:
      caps.permissions && form.permissions && form.permissions.mode !== 'all' ? toPermissions(form.permissions) : null,
  };
}

export interface Quota {
  limit: number;
  used: number;
  owner: string;
}

/** The per-owner key limit as it stands for the owner the form picked, when the vendor has one. */
export function quotaFor(
  caps: Capabilities,
  form: CreateFormState,
  owners: Owner[],
  keysOf: (ownerId: string) => number,
): Quota | null {
  const limit = caps.max_keys_per_owner;
  if (limit === null) return null;
  let id: string | null = null;
  let label = '';
  if (form.owner === OWNER_OTHER) {
    id = form.otherOwnerId.trim() || null;
    label = id ?? '';
  } else {
    // Without an explicit pick, the first listed owner is the account's own identity.
    const o = owners.find((x) => ownerValue(x) === form.owner) ?? (form.owner === OWNER_DEFAULT ? owners[0] : undefined);
    if (o) {
      id = o.id;
      label = o.name ?? o.id;
    }
  }
  return id === null ? null : { limit, used: keysOf(id), owner: label };
}
