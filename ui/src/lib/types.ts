// Every shape that crosses IPC, in one place. These mirror the Rust types (keyrack-core's model,
// vendor, error, reveal, export and settings modules, and the desktop shell's DTOs); the generated
// ts-rs bindings in ./bindings/ replace each one as the backend exports it.

export type VendorId = 'ibm' | 'scaleway' | 'oci' | 'openai' | 'codefresh';

export type KeyStatus = 'active' | 'disabled' | 'inactive' | 'expired' | 'creating' | 'deleting';

export type OwnerKind = 'user' | 'service_id' | 'service_account' | 'application' | 'other';

export interface Owner {
  kind: OwnerKind;
  id: string;
  name: string | null;
}

export interface OwnerRef {
  kind: OwnerKind;
  id: string;
}

export type VendorExtra =
  | {
      vendor: 'ibm';
      crn: string | null;
      entity_tag: string | null;
      iam_id: string | null;
      account_id: string | null;
      action_when_leaked: string | null;
      support_sessions: boolean | null;
      modified_at: string | null;
    }
  | {
      vendor: 'scaleway';
      default_project_id: string | null;
      editable: boolean | null;
      deletable: boolean | null;
      managed: boolean | null;
      creation_ip: string | null;
      updated_at: string | null;
    }
  | { vendor: 'oci'; user_id: string; lifecycle_state: string; inactive_status: number | null }
  | { vendor: 'openai'; project_id: string; project_name: string | null }
  | {
      vendor: 'codefresh';
      token_prefix: string | null;
      subject_type: string | null;
      subject_ref: string | null;
    };

export interface KeyRecord {
  vendor: VendorId;
  account: string;
  id: string;
  name: string | null;
  description: string | null;
  owner: Owner | null;
  created_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  status: KeyStatus;
  locked: boolean;
  scopes: string[];
  secret_hint: string | null;
  extra: VendorExtra;
}

export interface NewKey {
  name: string | null;
  description: string | null;
  expires_at: string | null;
  owner: OwnerRef | null;
  project_id: string | null;
  scopes: string[];
  locked: boolean;
  disabled: boolean;
  action_when_leaked: string | null;
  public_key_pem: string | null;
  key_bits: number | null;
}

export interface KeyUpdate {
  name: string | null;
  description: string | null;
  scopes: string[] | null;
  project_id: string | null;
}

export interface Project {
  id: string;
  name: string;
}

export interface CreateOptions {
  owners: Owner[];
  projects: Project[];
}

export interface Identity {
  display: string;
  warnings: string[];
}

export interface DeleteOutcome {
  owner_without_keys: Owner | null;
}

export interface AccountSettings {
  base_url: string | null;
  iam_url: string | null;
  account_id: string | null;
  iam_id: string | null;
  organization_id: string | null;
  project_id: string | null;
  access_key: string | null;
  tenancy: string | null;
  user: string | null;
  region: string | null;
  fingerprint: string | null;
}

export interface Account {
  id: string;
  name: string;
  vendor: VendorId;
  sandbox: boolean;
  settings: AccountSettings;
}

export interface TextField {
  required: boolean;
  max_len: number;
}

export interface ScopeOption {
  id: string;
  description: string;
}

export type SecretSource = 'server_issued' | 'local_key_pair';

export interface OwnerField {
  label: string;
  kinds: OwnerKind[];
  required: boolean;
  help: string;
}

export interface Capabilities {
  vendor: VendorId;
  vendor_name: string;
  key_noun: string;
  id_label: string;
  name: TextField | null;
  description: TextField | null;
  expiry: boolean;
  scopes: ScopeOption[];
  owner: OwnerField | null;
  project: TextField | null;
  project_label: string | null;
  lock_on_create: boolean;
  disable_on_create: boolean;
  leak_actions: string[];
  rename: boolean;
  update_description: boolean;
  update_scopes: boolean;
  update_project: boolean;
  lock: boolean;
  disable: boolean;
  delete: boolean;
  max_keys_per_owner: number | null;
  secret_source: SecretSource;
  upload_public_key: boolean;
  notes: string[];
}

export type Code =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'validation'
  | 'vendor'
  | 'network'
  | 'timeout'
  | 'decode'
  | 'unsupported'
  | 'create_lost'
  | 'keychain'
  | 'config'
  | 'io'
  // Failures inside the shell itself (a denied command, a panic), not from the core.
  | 'internal';

export interface VendorDetail {
  status: number;
  code: string | null;
  message: string | null;
  request_id: string | null;
}

export interface PublicError {
  code: Code;
  message: string;
  field?: string | null;
  retry_after_secs?: number | null;
  vendor?: VendorDetail | null;
  recovered?: KeyRecord | null;
}

export interface PendingSecret {
  handle: string;
  record: KeyRecord;
  hint: string;
  created_at: string;
  saved: boolean;
  copied: boolean;
}

export type ExportFormat =
  | 'ibm_apikey_json'
  | 'ibm_credentials_env'
  | 'scaleway_config_yaml'
  | 'oci_private_key_pem'
  | 'oci_config_stanza'
  | 'codefresh_cfconfig'
  | 'env'
  | 'json';

export interface FormatInfo {
  format: ExportFormat;
  label: string;
  file_name: string;
  native: boolean;
}

export type Theme = 'system' | 'light' | 'dark';

export interface Preferences {
  clipboard_clear_secs: number;
  expiring_soon_days: number;
  sandbox: boolean;
  theme: Theme;
}

// The desktop shell's own DTOs (src-tauri).

export interface AccountField {
  /** An `AccountSettings` field, or `secret` / `passphrase` for the credential. */
  name: string;
  label: string;
  help: string;
  required: boolean;
  secret: boolean;
  multiline: boolean;
}

export interface VendorInfo {
  vendor: VendorId;
  name: string;
  capabilities: Capabilities;
  formats: FormatInfo[];
  account_fields: AccountField[];
}

export interface KeychainStatus {
  ok: boolean;
  message?: string | null;
}

export interface AppInfo {
  name?: string;
  version: string;
  sandbox: boolean;
  keychain?: KeychainStatus;
  settingsError?: string | null;
  logDir?: string | null;
}

export interface AccountListing {
  accountId: string;
  keys?: KeyRecord[] | null;
  error?: PublicError | null;
}

export interface AccountInput {
  name: string;
  vendor: VendorId;
  settings: AccountSettings;
  secret: string;
  passphrase?: string | null;
  skipTest?: boolean;
}

export interface AccountChanges {
  name?: string | null;
  settings?: AccountSettings | null;
  secret?: string | null;
  passphrase?: string | null;
}

export interface CopyResult {
  clearInSecs: number;
}

export interface SavedFile {
  path: string;
}

export interface InventoryProgress {
  done: number;
  total: number;
}

export type TrayActionKind = 'new-key' | 'select-key' | 'open-reveal' | 'refresh';

export interface TrayAction {
  action: TrayActionKind;
  accountId?: string | null;
  keyId?: string | null;
  handle?: string | null;
}

export interface TrayMenuItem {
  id: string;
  label: string;
}
