import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import { appInfo, CommandError, toIpcError, trayMenuItems } from './api';

describe('api', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('calls app_info and returns what the backend sent', async () => {
    const info = { name: 'Keyrack', version: '0.1.0', sandbox: false, logDir: '/tmp/logs' };
    invoke.mockResolvedValue(info);
    await expect(appInfo()).resolves.toEqual(info);
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('calls tray_menu_items', async () => {
    invoke.mockResolvedValue([{ id: 'quit', label: 'Quit' }]);
    await expect(trayMenuItems()).resolves.toEqual([{ id: 'quit', label: 'Quit' }]);
    expect(invoke).toHaveBeenCalledWith('tray_menu_items', undefined);
  });

  it('keeps the backend code and message of an IpcError', async () => {
    invoke.mockRejectedValue({ code: 'Internal', message: 'menu is gone' });
    const error = await trayMenuItems().catch((e: unknown) => e);
    if (!(error instanceof CommandError)) throw new Error(`not a CommandError: ${String(error)}`);
    expect([error.code, error.message, error.command]).toEqual(['Internal', 'menu is gone', 'tray_menu_items']);
  });

  it('turns Tauri string rejections (e.g. a denied command) into Internal', () => {
    expect(toIpcError('app_info not allowed')).toEqual({ code: 'Internal', message: 'app_info not allowed' });
    expect(toIpcError(new Error('boom'))).toEqual({ code: 'Internal', message: 'boom' });
    expect(toIpcError({ code: 42 })).toEqual({ code: 'Internal', message: '[object Object]' });
  });
});
