import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import * as api from './api';
import { CommandError, toPublicError } from './api';

describe('api', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('calls app_info and returns what the backend sent', async () => {
    const info = { name: 'Keyrack', version: '0.1.0', sandbox: false, logDir: '/tmp/logs' };
    invoke.mockResolvedValue(info);
    await expect(api.appInfo()).resolves.toEqual(info);
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('passes camelCase arguments as Tauri expects', async () => {
    invoke.mockResolvedValue({});
    await api.keySetLocked('acc-1', 'ApiKey-1', true);
    expect(invoke).toHaveBeenLastCalledWith('key_set_locked', { accountId: 'acc-1', keyId: 'ApiKey-1', locked: true });
    await api.secretSave('sec_1', 'env');
    expect(invoke).toHaveBeenLastCalledWith('secret_save', { handle: 'sec_1', format: 'env', profile: null });
    await api.ociConfigAppend('sec_1', 'dev');
    expect(invoke).toHaveBeenLastCalledWith('oci_config_append', { handle: 'sec_1', profile: 'dev' });
  });

  it('never sends a path: the backend asks the user where to save', async () => {
    invoke.mockResolvedValue(null);
    await expect(api.secretSave('sec_1', 'ibm_apikey_json', 'work')).resolves.toBeNull();
    await api.ociConfigAppend('sec_1', 'dev');
    for (const [, args] of invoke.mock.calls) {
      expect(Object.keys(args as object)).not.toContain('path');
      expect(Object.keys(args as object)).not.toContain('configPath');
    }
  });

  it('keeps every field of a PublicError', async () => {
    invoke.mockRejectedValue({
      code: 'quota_exceeded',
      message: 'OCI allows 3 keys per user',
      field: null,
      retry_after_secs: null,
      vendor: { status: 409, code: 'LimitExceeded', message: 'max 3', request_id: 'r-1' },
      recovered: null,
    });
    const error = await api.keyCreate('a', {} as never).catch((e: unknown) => e);
    if (!(error instanceof CommandError)) throw new Error(`not a CommandError: ${String(error)}`);
    expect([error.code, error.message, error.command]).toEqual([
      'quota_exceeded',
      'OCI allows 3 keys per user',
      'key_create',
    ]);
    expect(error.vendor?.request_id).toBe('r-1');
  });

  it('turns Tauri string rejections (e.g. a denied command) into internal errors', () => {
    expect(toPublicError('app_info not allowed')).toEqual({ code: 'internal', message: 'app_info not allowed' });
    expect(toPublicError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toPublicError({ code: 42 })).toEqual({ code: 'internal', message: '[object Object]' });
    expect(toPublicError({ code: 'Internal', message: 'x' }).code).toBe('internal');
  });
});
