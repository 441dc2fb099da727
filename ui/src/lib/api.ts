// Typed wrappers over the backend's IPC commands: the only module that calls `invoke`.
// Every rejection is normalized to a `CommandError` carrying the backend's `PublicError`.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type {
  Account,
  AccountChanges,
  AccountInput,
  AccountListing,
  AppInfo,
  Attention,
  AuditEntry,
  AuditFilter,
  Code,
  CopyResult,
  CreateOptions,
  DeleteOutcome,
  ExportFormat,
  ExportPreview,
  Findings,
  Identity,
  Imported,
  InventoryFormat,
  KeyNote,
  KeyRecord,
  KeyRef,
  KeyUpdate,
  NewKey,
  Owner,
  PendingSecret,
  Plan,
  Preferences,
  PublicError,
  RotateChoice,
  RotationReport,
  SavedFile,
  TrayMenuItem,
  UsedInFile,
  VendorDetail,
  VendorInfo,
} from './types';

export type { AppInfo, PublicError, TrayMenuItem };

export class CommandError extends Error implements PublicError {
  readonly code: Code;
  readonly field: string | null;
  readonly retry_after_secs: number | null;
  readonly vendor: VendorDetail | null;
  readonly recovered: KeyRecord | null;

  constructor(
    readonly command: string,
    error: PublicError,
  ) {
    super(error.message);
    this.name = 'CommandError';
    this.code = error.code;
    this.field = error.field ?? null;
    this.retry_after_secs = error.retry_after_secs ?? null;
    this.vendor = error.vendor ?? null;
    this.recovered = error.recovered ?? null;
  }
}

function isPublicError(value: unknown): value is PublicError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PublicError).code === 'string' &&
    typeof (value as PublicError).message === 'string'
  );
}

/** Backend codes are snake_case; the shell's provisional `Internal` is folded in. */
function normalizeCode(code: string): Code {
  return (code === 'Internal' ? 'internal' : code) as Code;
}

/** What the backend rejected with, as a `PublicError` (plain strings come from Tauri itself). */
export function toPublicError(value: unknown): PublicError {
  if (isPublicError(value)) {
    // Named fields, not a spread: an Error's `message` is not enumerable.
    const out: PublicError = { code: normalizeCode(value.code), message: value.message };
    if (value.field != null) out.field = value.field;
    if (value.retry_after_secs != null) out.retry_after_secs = value.retry_after_secs;
    if (value.vendor != null) out.vendor = value.vendor;
    if (value.recovered != null) out.recovered = value.recovered;
    return out;
  }
  if (value instanceof Error) return { code: 'internal', message: value.message };
  return { code: 'internal', message: String(value) };
}

/** The message a user reads for any thrown value. */
export function errorMessage(value: unknown): string {
  return toPublicError(value).message;
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new CommandError(command, toPublicError(e));
  }
}

// App and accounts.
export const appInfo = (): Promise<AppInfo> => call('app_info');
export const trayMenuItems = (): Promise<TrayMenuItem[]> => call('tray_menu_items');
export const vendors = (): Promise<VendorInfo[]> => call('vendors');
export const accountsList = (): Promise<Account[]> => call('accounts_list');
export const accountAdd = (input: AccountInput): Promise<Account> => call('account_add', { input });
export const accountUpdate = (id: string, input: AccountChanges): Promise<Account> =>
  call('account_update', { id, input });
export const accountRemove = (id: string): Promise<void> => call('account_remove', { id });
export const accountTest = (id: string): Promise<Identity> => call('account_test', { id });
export const accountTestNew = (input: AccountInput): Promise<Identity> =>
  call('account_test_new', { input });
/** Accounts the vendors' own tools use on this computer, by handle (no credential crosses). */
export const accountsFound = (): Promise<Findings> => call('accounts_found');
/** Test the find with this handle, then save it; the backend reads its credential itself. */
export const accountImport = (handle: string): Promise<Imported> => call('account_import', { handle });
export const preferencesGet = (): Promise<Preferences> => call('preferences_get');
export const preferencesSet = (p: Preferences): Promise<Preferences> =>
  call('preferences_set', { p });

// Keys.
/** Every account's keys; `known` (account → revision) are listings the window holds, which come
 *  back `unchanged` and without keys while they are. */
export const keysList = (known: Record<string, string> = {}): Promise<AccountListing[]> =>
  call('keys_list', { known });
export const keysListAccount = (accountId: string): Promise<AccountListing> =>
  call('keys_list_account', { accountId });
export const keyGet = (accountId: string, keyId: string): Promise<KeyRecord> =>
  call('key_get', { accountId, keyId });
export const createOptions = (accountId: string): Promise<CreateOptions> =>
  call('create_options', { accountId });
export const keyCreate = (accountId: string, spec: NewKey): Promise<PendingSecret> =>
  call('key_create', { accountId, spec });
export const keyUpdate = (accountId: string, keyId: string, changes: KeyUpdate): Promise<KeyRecord> =>
  call('key_update', { accountId, keyId, changes });
export const keySetLocked = (accountId: string, keyId: string, locked: boolean): Promise<KeyRecord> =>
  call('key_set_locked', { accountId, keyId, locked });
export const keySetDisabled = (
  accountId: string,
  keyId: string,
  disabled: boolean,
): Promise<KeyRecord> => call('key_set_disabled', { accountId, keyId, disabled });
export const keyDelete = (accountId: string, keyId: string): Promise<DeleteOutcome> =>
  call('key_delete', { accountId, keyId });
export const ownerDelete = (accountId: string, owner: Owner): Promise<void> =>
  call('owner_delete', { accountId, owner });
// Rotation: the plan (nothing changes), then the run; a failed step is in the report.
export const rotationPlan = (accountId: string, keyId: string, choice: RotateChoice): Promise<Plan> =>
  call('rotation_plan', { accountId, keyId, choice });
export const rotateKey = (accountId: string, keyId: string, choice: RotateChoice): Promise<RotationReport> =>
  call('rotate_key', { accountId, keyId, choice });
/** "Update a file…": the backend opens the native file dialog; `null` when cancelled. */
export const rotationPickFile = (accountId: string, keyId: string): Promise<UsedInFile | null> =>
  call('rotation_pick_file', { accountId, keyId });
/** "Used in: …": the files on this machine that hold the key. */
export const keyUsedIn = (accountId: string, keyId: string): Promise<UsedInFile[]> =>
  call('key_used_in', { accountId, keyId });

// The listed keys as Terraform, CSV or JSON: a preview, then a file the user picks (in the
// backend's save dialog; `null` when cancelled).
export const inventoryPreview = (format: InventoryFormat, keys: KeyRef[]): Promise<ExportPreview> =>
  call('inventory_preview', { format, keys });
export const inventoryExport = (format: InventoryFormat, keys: KeyRef[]): Promise<SavedFile | null> =>
  call('inventory_export', { format, keys });

// One-time secrets of created keys, by handle.
export const secretsPending = (): Promise<PendingSecret[]> => call('secrets_pending');
export const secretReveal = (handle: string): Promise<string> => call('secret_reveal', { handle });
export const secretCopy = (handle: string): Promise<CopyResult> => call('secret_copy', { handle });
/** Opens the native save dialog (in the backend) and writes there; `null` when cancelled. */
export const secretSave = (
  handle: string,
  format: ExportFormat,
  profile?: string | null,
): Promise<SavedFile | null> => call('secret_save', { handle, format, profile: profile ?? null });
/** Adds the key as a profile to the OCI config file the OCI tools read; says which file. */
export const ociConfigAppend = (handle: string, profile: string): Promise<SavedFile> =>
  call('oci_config_append', { handle, profile });
export const secretDismiss = (handle: string): Promise<void> => call('secret_dismiss', { handle });

// Key hygiene: what needs attention, what the user said about a key, and the audit log.
export const attentionList = (): Promise<Attention[]> => call('attention_list');
/** Snooze a key, mark it expected (with a reason), or (neither) forget what was said. */
export const keyNoteSet = (note: KeyNote): Promise<void> => call('key_note_set', { note });
/** The audit log's entries matching `filter`, newest first. */
export const auditList = (filter: AuditFilter): Promise<AuditEntry[]> => call('audit_list', { filter });
