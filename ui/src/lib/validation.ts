// The create and edit forms' checks, mirroring keyrack-core's `validate` module so a user sees
// what is wrong before anything is sent. Field names are the core's, so a `Validation` error
// from the backend (its `field`) lands on the same form field.
import { toPublicError } from './api';
import { permissionsError } from './permissions';
import type { Capabilities, KeyUpdate, NewKey, PublicError, TextField } from './types';

export type FieldErrors = Partial<Record<string, string>>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkText(
  errors: FieldErrors,
  field: string,
  label: string,
  value: string | null,
  rule: TextField | null,
  vendor: string,
): void {
  if (value === null) {
    if (rule?.required) errors[field] = `A ${label} is required`;
    return;
  }
  if (!rule) {
    errors[field] = `${vendor} keys have no ${label}`;
    return;
  }
  if (value.trim() === '' && rule.required) {
    errors[field] = `The ${label} must not be empty`;
    return;
  }
  const len = [...value].length;
  if (len > rule.max_len) {
    errors[field] = `${len} characters; ${vendor} allows at most ${rule.max_len}`;
    return;
  }
  if (CONTROL.test(value)) errors[field] = `The ${label} must not contain control characters`;
}

/** Field → message for everything wrong with `spec`; empty when it may be sent. */
export function validateNewKey(caps: Capabilities, spec: NewKey, now: number): FieldErrors {
  const errors: FieldErrors = {};
  const vendor = caps.vendor_name;
  checkText(errors, 'name', 'name', spec.name, caps.name, vendor);
  checkText(errors, 'description', 'description', spec.description, caps.description, vendor);

  if (spec.expires_at !== null) {
    const ms = Date.parse(spec.expires_at);
    if (!caps.expiry) errors.expires_at = `${vendor} keys cannot be given an expiry date`;
    else if (Number.isNaN(ms)) errors.expires_at = 'Not a date';
    else if (ms <= now) errors.expires_at = 'The expiry date is in the past';
  }

  if (spec.scopes.length > 0 && caps.scopes.length === 0) {
    errors.scopes = `${vendor} keys have no scopes`;
  } else if (caps.scopes.length > 0 && spec.scopes.length === 0) {
    errors.scopes = 'Choose at least one scope';
  } else {
    const unknown = spec.scopes.find((s) => !caps.scopes.some((o) => o.id === s));
    if (unknown) errors.scopes = `Unknown scope ${unknown}`;
  }

  const ownerRule = caps.owner;
  if (spec.owner === null) {
    if (ownerRule?.required) errors.owner = `Choose the ${ownerRule.label.toLowerCase()} the key is for`;
  } else if (!ownerRule) {
    errors.owner = `${vendor} keys cannot be created for another owner here`;
  } else if (spec.owner.id.trim() === '') {
    errors.owner = 'The owner id must not be empty';
  } else if (spec.owner.kind !== 'other' && !ownerRule.kinds.includes(spec.owner.kind)) {
    errors.owner = `${vendor} keys cannot belong to this kind of owner`;
  }

  if (spec.project_id === null) {
    if (caps.project?.required) errors.project_id = 'Choose a project';
  } else if (!caps.project) {
    errors.project_id = `${vendor} keys have no project`;
  } else if (spec.project_id.trim() === '') {
    errors.project_id = 'The project must not be empty';
  }

  if (spec.locked && !caps.lock_on_create) errors.locked = `${vendor} keys cannot be created locked`;
  if (spec.disabled && !caps.disable_on_create)
    errors.disabled = `${vendor} keys cannot be created disabled`;
  if (spec.action_when_leaked !== null && !caps.leak_actions.includes(spec.action_when_leaked))
    errors.action_when_leaked = `Unknown action ${spec.action_when_leaked}`;

  if (spec.public_key_pem !== null) {
    if (!caps.upload_public_key) errors.public_key_pem = `${vendor} generates the secret itself`;
    else if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(spec.public_key_pem))
      errors.public_key_pem = 'Paste a PEM public key (-----BEGIN PUBLIC KEY-----)';
  }
  if (spec.key_bits !== null) {
    if (caps.secret_source !== 'local_key_pair') errors.key_bits = `${vendor} generates the secret itself`;
    else if (spec.key_bits < 2048 || spec.key_bits > 8192) errors.key_bits = 'Choose 2048 to 8192 bits';
  }
  if (spec.permissions !== null) {
    if (!caps.permissions) errors.permissions = `${vendor} keys have no permissions to set`;
    else errors.permissions = permissionsError(spec.permissions);
  }
  return errors;
}

/** Field → message for an edit; only fields present in `changes` are checked. */
export function validateKeyUpdate(caps: Capabilities, changes: KeyUpdate, now: number = Date.now()): FieldErrors {
  const errors: FieldErrors = {};
  const vendor = caps.vendor_name;
  if (changes.name !== null) {
    if (!caps.rename) errors.name = `${vendor} keys cannot be renamed`;
    else checkText(errors, 'name', 'name', changes.name, caps.name && { ...caps.name, required: true }, vendor);
  }
  if (changes.description !== null) {
    if (!caps.update_description) errors.description = `${vendor} key descriptions cannot be changed`;
    else
      checkText(
        errors,
        'description',
        'description',
        changes.description,
        caps.description && { ...caps.description, required: false },
        vendor,
      );
  }
  if (changes.scopes !== null) {
    if (!caps.update_scopes) errors.scopes = `${vendor} key scopes cannot be changed`;
    else if (changes.scopes.length === 0 && caps.scopes.length > 0) errors.scopes = 'Choose at least one scope';
    else {
      const unknown = changes.scopes.find((s) => !caps.scopes.some((o) => o.id === s));
      if (unknown) errors.scopes = `Unknown scope ${unknown}`;
    }
  }
  if (changes.project_id !== null && !caps.update_project)
    errors.project_id = `${vendor} keys' project cannot be changed`;
  if (changes.expires_at !== null || changes.clear_expiry) {
    if (!caps.update_expiry) errors.expires_at = `${vendor} keys' expiry dates cannot be changed`;
    else if (changes.clear_expiry && !caps.remove_expiry)
      errors.expires_at = `${vendor} keys' expiry dates can be moved but not removed`;
    else if (changes.expires_at !== null) {
      const ms = new Date(changes.expires_at).getTime();
      if (Number.isNaN(ms)) errors.expires_at = 'Enter a valid date and time';
      else if (ms <= now) errors.expires_at = 'The expiry date is in the past';
    }
  }
  if (changes.action_when_leaked !== null && (!caps.update_leak_action || !caps.leak_actions.includes(changes.action_when_leaked)))
    errors.action_when_leaked = `${vendor} keys cannot be set to ${changes.action_when_leaked} when leaked`;
  if (changes.support_sessions !== null && !caps.support_sessions)
    errors.support_sessions = `${vendor} keys have no support sessions`;
  if (changes.permissions !== null) {
    if (!caps.update_permissions) errors.permissions = `${vendor} keys' permissions cannot be changed`;
    else errors.permissions = permissionsError(changes.permissions);
  }
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** Blank text means "not given". */
export function textOrNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

/**
 * A refused submit as a form shows it: a Validation error naming a field goes next to that
 * field; anything else (the vendor's own refusal, a lost connection) above the form.
 */
export function refusal(e: unknown): { fields: FieldErrors; error: PublicError | null } {
  const err = toPublicError(e);
  if (err.code === 'validation' && err.field) return { fields: { [err.field]: err.message }, error: null };
  return { fields: {}, error: err };
}
