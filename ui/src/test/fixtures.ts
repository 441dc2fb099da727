// Test data shaped like the backend's answers: the five vendors' real Capabilities (copied from
// keyrack-core's vendors/*/mod.rs), their download formats, and keys.
import type { Account, Capabilities, FormatInfo, KeyRecord, VendorId, VendorInfo } from '../lib/types';

const base = {
  name: null,
  description: null,
  expiry: false,
  scopes: [],
  owner: null,
  project: null,
  project_label: null,
  lock_on_create: false,
  disable_on_create: false,
  leak_actions: [],
  support_sessions: false,
  permissions: null,
  reports_last_use: false,
  rename: false,
  update_description: false,
  update_scopes: false,
  update_project: false,
  update_expiry: false,
  remove_expiry: false,
  update_leak_action: false,
  update_permissions: false,
  lock: false,
  disable: false,
  delete: true,
  max_keys_per_owner: null,
  secret_source: 'server_issued',
  upload_public_key: false,
  notes: [],
} satisfies Partial<Capabilities>;

export const CAPS: Record<VendorId, Capabilities> = {
  ibm: {
    ...base,
    vendor: 'ibm',
    vendor_name: 'IBM Cloud',
    key_noun: 'API key',
    id_label: 'API key ID',
    name: { required: true, max_len: 240 },
    description: { required: false, max_len: 1024 },
    expiry: true,
    owner: {
      label: 'IAM identity',
      kinds: ['user', 'service_id'],
      required: false,
      help: 'The iam_id of a user or a service ID.',
    },
    lock_on_create: true,
    disable_on_create: true,
    leak_actions: ['none', 'disable', 'delete'],
    support_sessions: true,
    rename: true,
    update_description: true,
    update_expiry: true,
    remove_expiry: true,
    update_leak_action: true,
    lock: true,
    disable: true,
    notes: ['IBM Cloud shows an API key’s value only once, when it is created.'],
  },
  scaleway: {
    ...base,
    vendor: 'scaleway',
    vendor_name: 'Scaleway',
    key_noun: 'API key',
    id_label: 'Access key',
    description: { required: false, max_len: 200 },
    expiry: true,
    owner: {
      label: 'User or application',
      kinds: ['user', 'application'],
      required: true,
      help: 'The key’s bearer.',
    },
    project: { required: false, max_len: 36 },
    project_label: 'Default project',
    update_description: true,
    update_project: true,
    update_expiry: true,
  },
  oci: {
    ...base,
    vendor: 'oci',
    vendor_name: 'Oracle Cloud (OCI)',
    key_noun: 'API signing key',
    id_label: 'Fingerprint',
    owner: { label: 'User', kinds: ['user'], required: false, help: 'Leave empty for the account’s own user.' },
    max_keys_per_owner: 3,
    secret_source: 'local_key_pair',
    upload_public_key: true,
  },
  openai: {
    ...base,
    vendor: 'openai',
    vendor_name: 'OpenAI',
    key_noun: 'project API key',
    id_label: 'Key ID',
    name: { required: true, max_len: 256 },
    expiry: true,
    owner: {
      label: 'Service account',
      kinds: ['service_account', 'other'],
      required: false,
      help: 'Leave empty to create a new service account.',
    },
    project: { required: true, max_len: 128 },
    project_label: 'Project',
    reports_last_use: true,
    update_expiry: true,
    update_permissions: true,
    permissions: {
      resources: [
        { id: 'models', label: 'Models', levels: ['none', 'read'] },
        { id: 'model_capabilities', label: 'Model capabilities', levels: ['none', 'write'] },
        { id: 'assistants', label: 'Assistants', levels: ['none', 'read', 'write'] },
        { id: 'threads', label: 'Threads', levels: ['none', 'read', 'write'] },
        { id: 'fine_tuning', label: 'Fine-tuning', levels: ['none', 'read', 'write'] },
        { id: 'files', label: 'Files', levels: ['none', 'read', 'write'] },
      ],
    },
  },
  codefresh: {
    ...base,
    vendor: 'codefresh',
    vendor_name: 'Codefresh',
    key_noun: 'API key',
    id_label: 'Key ID',
    name: { required: true, max_len: 256 },
    owner: {
      label: 'Owner',
      kinds: ['user', 'service_account'],
      required: false,
      help: 'A service user of the account (its id or name). Leave empty for the user whose API key the account uses.',
    },
    scopes: [
      { id: 'build', description: 'Builds' },
      { id: 'pipeline', description: 'Pipelines' },
      { id: 'project', description: 'Projects' },
    ],
    rename: true,
    update_scopes: true,
  },
};

const fmt = (
  format: FormatInfo['format'],
  label: string,
  file_name: string,
  native: boolean,
  role: FormatInfo['role'] = 'secret',
): FormatInfo => ({
  format,
  label,
  file_name,
  native,
  role,
});

export const FORMATS: Record<VendorId, FormatInfo[]> = {
  ibm: [fmt('ibm_apikey_json', 'apikey.json', 'apikey.json', true), fmt('env', '.env', '.env', false)],
  scaleway: [fmt('scaleway_config_yaml', 'config.yaml', 'config.yaml', true), fmt('env', '.env', '.env', false)],
  oci: [
    fmt('oci_private_key_pem', 'Private key PEM', 'oci_api_key.pem', true, 'key_file'),
    fmt('oci_config_stanza', '~/.oci/config profile', 'config', true, 'names_key_file'),
    fmt('env', '.env', '.env', false, 'names_key_file'),
  ],
  openai: [fmt('json', 'JSON', 'openai-key.json', false), fmt('env', '.env', '.env', true)],
  codefresh: [fmt('codefresh_cfconfig', '.cfconfig', '.cfconfig', true), fmt('env', '.env', '.env', false)],
};

export const VENDORS: VendorInfo[] = (Object.keys(CAPS) as VendorId[]).map((v) => ({
  vendor: v,
  name: CAPS[v].vendor_name,
  capabilities: CAPS[v],
  formats: FORMATS[v],
  account_fields: [
    { name: 'base_url', label: 'API URL', help: 'Where the API is', required: false, secret: false, multiline: false },
    {
      name: 'secret',
      label: v === 'oci' ? 'Private key' : 'API key',
      help: 'From the console',
      required: true,
      secret: true,
      multiline: v === 'oci',
    },
  ],
}));

export function account(vendor: VendorId, id = `sandbox-${vendor}`, sandbox = true): Account {
  return {
    id,
    name: `${CAPS[vendor].vendor_name}${sandbox ? ' (Sandbox)' : ''}`,
    vendor,
    sandbox,
    settings: {
      base_url: 'http://127.0.0.1:1',
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
    },
  };
}

export function key(vendor: VendorId, accountId: string, id: string, over: Partial<KeyRecord> = {}): KeyRecord {
  const extra: KeyRecord['extra'] =
    vendor === 'oci'
      ? { vendor: 'oci', user_id: 'ocid1.user.oc1..u', lifecycle_state: 'ACTIVE', inactive_status: null }
      : vendor === 'openai'
        ? { vendor: 'openai', project_id: 'proj_1', project_name: 'Default' }
        : vendor === 'codefresh'
          ? { vendor: 'codefresh', token_prefix: 'abc', subject_type: null, subject_ref: null }
          : vendor === 'scaleway'
            ? {
                vendor: 'scaleway',
                default_project_id: null,
                editable: true,
                deletable: true,
                managed: false,
                creation_ip: null,
                updated_at: null,
              }
            : {
                vendor: 'ibm',
                crn: 'crn:v1:ibm',
                entity_tag: '1-abc',
                iam_id: 'IBMid-1',
                account_id: 'acc',
                action_when_leaked: 'none',
                support_sessions: null,
                modified_at: null,
              };
  return {
    vendor,
    account: accountId,
    id,
    name: `key ${id}`,
    description: null,
    owner: { kind: 'user', id: 'IBMid-1', name: 'Ada' },
    created_at: '2026-01-01T00:00:00Z',
    expires_at: null,
    last_used_at: null,
    status: 'active',
    locked: false,
    scopes: [],
    secret_hint: null,
    permissions: null,
    kind_label: null,
    extra,
    ...over,
  };
}

/** `n` keys spread over the given accounts, with names, owners and expiries that vary. */
export function manyKeys(n: number, accounts: Account[], now: number): KeyRecord[] {
  const out: KeyRecord[] = [];
  for (let i = 0; i < n; i++) {
    const a = accounts[i % accounts.length];
    out.push(
      key(a.vendor, a.id, `K-${String(i).padStart(5, '0')}`, {
        name: `service ${i % 97} key ${i}`,
        description: i % 10 === 0 ? `billing export ${i}` : null,
        owner: { kind: 'user', id: `user-${i % 13}`, name: `Owner ${i % 13}` },
        created_at: new Date(now - (i % 400) * 86_400_000).toISOString(),
        expires_at: i % 5 === 0 ? new Date(now + ((i % 60) - 10) * 86_400_000).toISOString() : null,
        status: i % 17 === 0 ? 'disabled' : 'active',
        locked: i % 23 === 0,
      }),
    );
  }
  return out;
}
