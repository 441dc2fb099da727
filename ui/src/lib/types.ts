// Every shape that crosses IPC, from the ts-rs bindings the backend generates (./bindings/),
// plus the few the UI adds on top.
import type { Code as CoreCode } from './bindings/Code';
import type { PublicError as CorePublicError } from './bindings/PublicError';

export type { Account } from './bindings/Account';
export type { Attention } from './bindings/Attention';
export type { AuditAction } from './bindings/AuditAction';
export type { AuditEntry } from './bindings/AuditEntry';
export type { AuditFilter } from './bindings/AuditFilter';
export type { AuditOutcome } from './bindings/AuditOutcome';
export type { KeyNote } from './bindings/KeyNote';
export type { Reason } from './bindings/Reason';
export type { AccountChanges } from './bindings/AccountChanges';
export type { AccountField } from './bindings/AccountField';
export type { AccountInput } from './bindings/AccountInput';
export type { AccountListing } from './bindings/AccountListing';
export type { AccountSettings } from './bindings/AccountSettings';
export type { AppInfo } from './bindings/AppInfo';
export type { AccountRules } from './bindings/AccountRules';
export type { Capabilities } from './bindings/Capabilities';
export type { ClipboardCleared } from './bindings/ClipboardCleared';
export type { CopyResult } from './bindings/CopyResult';
export type { CreateOptions } from './bindings/CreateOptions';
export type { DeleteOutcome } from './bindings/DeleteOutcome';
export type { ExportFormat } from './bindings/ExportFormat';
export type { ExportPreview } from './bindings/ExportPreview';
export type { FormatInfo } from './bindings/FormatInfo';
export type { Identity } from './bindings/Identity';
export type { InventoryFormat } from './bindings/InventoryFormat';
export type { InventoryProgress } from './bindings/InventoryProgress';
export type { KeychainStatus } from './bindings/KeychainStatus';
export type { KeyRecord } from './bindings/KeyRecord';
export type { KeyRef } from './bindings/KeyRef';
export type { KeyStatus } from './bindings/KeyStatus';
export type { KeyUpdate } from './bindings/KeyUpdate';
export type { NewKey } from './bindings/NewKey';
export type { Owner } from './bindings/Owner';
export type { OwnerField } from './bindings/OwnerField';
export type { OwnerKind } from './bindings/OwnerKind';
export type { OwnerRef } from './bindings/OwnerRef';
export type { PendingSecret } from './bindings/PendingSecret';
export type { PermissionLevel } from './bindings/PermissionLevel';
export type { PermissionMode } from './bindings/PermissionMode';
export type { PermissionResource } from './bindings/PermissionResource';
export type { Permissions } from './bindings/Permissions';
export type { PermissionsSpec } from './bindings/PermissionsSpec';
export type { Plan } from './bindings/Plan';
export type { Retire } from './bindings/Retire';
export type { RotateChoice } from './bindings/RotateChoice';
export type { RotationReport } from './bindings/RotationReport';
export type { Candidate } from './bindings/Candidate';
export type { Findings } from './bindings/Findings';
export type { FoundInfo } from './bindings/FoundInfo';
export type { Imported } from './bindings/Imported';
export type { UnreadableInfo } from './bindings/UnreadableInfo';
export type { UsedInFile } from './bindings/UsedInFile';
export type { Preferences } from './bindings/Preferences';
export type { Problem } from './bindings/Problem';
export type { Project } from './bindings/Project';
export type { SavedFile } from './bindings/SavedFile';
export type { ScopeOption } from './bindings/ScopeOption';
export type { SecretSource } from './bindings/SecretSource';
export type { TextField } from './bindings/TextField';
export type { Theme } from './bindings/Theme';
export type { TrayAction } from './bindings/TrayAction';
export type { TrayActionKind } from './bindings/TrayActionKind';
export type { TrayMenuItem } from './bindings/TrayMenuItem';
export type { VendorDetail } from './bindings/VendorDetail';
export type { VendorExtra } from './bindings/VendorExtra';
export type { VendorId } from './bindings/VendorId';
export type { VendorInfo } from './bindings/VendorInfo';

/** Core's codes, plus `internal` for failures of the shell itself (a denied command, a panic). */
export type Code = CoreCode | 'internal';

/** A rejected command, as the UI handles it: core's PublicError, or the shell's own failure. */
export type PublicError = Omit<CorePublicError, 'code' | 'field' | 'retry_after_secs' | 'vendor' | 'recovered'> & {
  code: Code;
  field?: CorePublicError['field'];
  retry_after_secs?: CorePublicError['retry_after_secs'];
  vendor?: CorePublicError['vendor'];
  recovered?: CorePublicError['recovered'];
};
