// Typed wrappers over the backend's IPC commands: the only module that calls `invoke`.
// Every rejection is normalized to a `CommandError` carrying the backend's `IpcCode`.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';
import type { IpcCode } from './bindings/IpcCode';
import type { IpcError } from './bindings/IpcError';
import type { TrayMenuItem } from './bindings/TrayMenuItem';

export type { AppInfo, IpcCode, IpcError, TrayMenuItem };

export class CommandError extends Error implements IpcError {
  readonly code: IpcCode;

  constructor(
    readonly command: string,
    error: IpcError,
  ) {
    super(error.message);
    this.name = 'CommandError';
    this.code = error.code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** What the backend rejected with, as an `IpcError` (plain strings come from Tauri itself). */
export function toIpcError(value: unknown): IpcError {
  if (isIpcError(value)) return { code: value.code, message: value.message };
  if (value instanceof Error) return { code: 'Internal', message: value.message };
  return { code: 'Internal', message: String(value) };
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new CommandError(command, toIpcError(e));
  }
}

export const appInfo = (): Promise<AppInfo> => call('app_info');

export const trayMenuItems = (): Promise<TrayMenuItem[]> => call('tray_menu_items');
