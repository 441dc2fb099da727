// What the buttons do: call the backend, update the lists in place, say how it went in a toast.
// Errors are re-thrown after their toast so a form can also show them next to its fields.
import { writeText } from '@tauri-apps/plugin-clipboard-manager';
import * as api from './api';
import { own } from './echo';
import { inventory } from './inventory.svelte';
import { displayName, rowUid } from './keys';
import { reveal } from './reveal.svelte';
import { toaster } from './toasts.svelte';
import type {
  DeleteOutcome,
  KeyRecord,
  KeyUpdate,
  NewKey,
  Owner,
  PendingSecret,
  RotateChoice,
  RotationReport,
} from './types';
import { ui } from './ui.svelte';

function fail(prefix: string, e: unknown): never {
  toaster.show(`${prefix}: ${api.errorMessage(e)}`, 'error');
  throw e;
}

/** Non-secret text (ids, fingerprints) to the clipboard through the clipboard plugin. */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    await writeText(text);
    toaster.show(`${what} copied`);
  } catch (e) {
    toaster.show(`Could not copy the ${what}: ${api.errorMessage(e)}`, 'error');
  }
}

export async function refreshAll(): Promise<void> {
  try {
    await inventory.refresh();
    const failed = inventory.failed().length;
    if (failed > 0) toaster.show(`${failed} account${failed === 1 ? '' : 's'} could not be listed`, 'error');
  } catch (e) {
    toaster.show(`Could not list keys: ${api.errorMessage(e)}`, 'error');
  }
}

export async function retryAccount(accountId: string): Promise<void> {
  await inventory.retry(accountId);
  const name = inventory.account(accountId)?.name ?? accountId;
  const st = inventory.state(accountId);
  if (st.error) toaster.show(`${name}: ${st.error.message}`, 'error');
  else toaster.show(`${name}: ${st.count} key${st.count === 1 ? '' : 's'} listed`);
}

export async function createKey(accountId: string, spec: NewKey): Promise<PendingSecret> {
  try {
    const pending = await own(() => api.keyCreate(accountId, spec));
    inventory.upsert(pending.record);
    ui.select(rowUid(pending.record.account, pending.record.id), true);
    reveal.add(pending);
    const where = inventory.account(accountId)?.name ?? accountId;
    toaster.show(`Created ${displayName(pending.record)} in ${where} — save its secret now`);
    return pending;
  } catch (e) {
    const err = api.toPublicError(e);
    // The vendor made the key but its answer was lost: it exists, without its secret.
    if (err.code === 'create_lost' && err.recovered) inventory.upsert(err.recovered);
    fail('Could not create the key', e);
  }
}

export async function updateKey(accountId: string, keyId: string, changes: KeyUpdate): Promise<KeyRecord> {
  try {
    const record = await own(() => api.keyUpdate(accountId, keyId, changes));
    inventory.upsert(record);
    toaster.show(`Saved ${displayName(record)}`);
    return record;
  } catch (e) {
    fail('Could not save the key', e);
  }
}

export async function setLocked(accountId: string, keyId: string, locked: boolean): Promise<KeyRecord> {
  try {
    const record = await own(() => api.keySetLocked(accountId, keyId, locked));
    inventory.upsert(record);
    toaster.show(`${locked ? 'Locked' : 'Unlocked'} ${displayName(record)}`);
    return record;
  } catch (e) {
    fail(`Could not ${locked ? 'lock' : 'unlock'} the key`, e);
  }
}

export async function setDisabled(accountId: string, keyId: string, disabled: boolean): Promise<KeyRecord> {
  try {
    const record = await own(() => api.keySetDisabled(accountId, keyId, disabled));
    inventory.upsert(record);
    toaster.show(`${disabled ? 'Disabled' : 'Enabled'} ${displayName(record)}`);
    return record;
  } catch (e) {
    fail(`Could not ${disabled ? 'disable' : 'enable'} the key`, e);
  }
}

export async function deleteKey(record: KeyRecord): Promise<DeleteOutcome> {
  try {
    const outcome = await own(() => api.keyDelete(record.account, record.id));
    inventory.remove(record.account, record.id);
    if (ui.selected === rowUid(record.account, record.id)) ui.select(null);
    toaster.show(`Deleted ${displayName(record)}`);
    return outcome;
  } catch (e) {
    // Already gone at the vendor: the list catches up.
    if (api.toPublicError(e).code === 'not_found') inventory.remove(record.account, record.id);
    fail('Could not delete the key', e);
  }
}

export async function deleteOwner(accountId: string, owner: Owner): Promise<void> {
  try {
    await own(() => api.ownerDelete(accountId, owner));
    toaster.show(`Deleted ${owner.name ?? owner.id}`);
  } catch (e) {
    fail('Could not delete the owner', e);
  }
}

/** Rotate a key. A failed step comes back in the report (the dialog shows it); the new key's
 *  secret, when there is one, is held for the reveal panel, which the dialog opens once its
 *  result has been read (the panel would cover it). `quiet`: no toast (a batch lists each key). */
export async function rotateKey(record: KeyRecord, choice: RotateChoice, quiet = false): Promise<RotationReport> {
  try {
    const report = await own(() => api.rotateKey(record.account, record.id, choice));
    if (report.new_key) inventory.upsert(report.new_key);
    if (report.old_key === 'deleted') inventory.remove(record.account, record.id);
    if (report.secret) reveal.hold(report.secret);
    if (quiet) return report;
    if (report.failure) toaster.show(`Rotation stopped at ${report.failure.step}`, 'error');
    else toaster.show(`Rotated ${displayName(record)}`);
    return report;
  } catch (e) {
    if (quiet) throw api.toPublicError(e);
    fail('Could not rotate the key', e);
  }
}
