import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import App from './App.svelte';
import { toaster } from './lib/toasts.svelte';

describe('App shell', () => {
  afterEach(() => {
    invoke.mockReset();
    toaster.items = [];
  });

  it('renders header search, sidebar, empty key list and the version', async () => {
    invoke.mockResolvedValue({ name: 'Keyrack', version: '9.8.7', sandbox: true, logDir: null });
    render(App);
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Vendors and accounts' }).textContent).toContain(
      'No accounts yet',
    );
    expect(screen.getByTestId('keys-empty').textContent).toContain('No keys yet');
    expect((await screen.findByTestId('version')).textContent).toBe('Keyrack 9.8.7');
    expect(screen.getByText('Sandbox')).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('shows a dismissable error toast when app_info fails', async () => {
    invoke.mockRejectedValue({ code: 'Internal', message: 'no package info' });
    render(App);
    const toast = await screen.findByText('Could not read app info: no package info');
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(toast.isConnected).toBe(false);
  });

  it('focuses the search box on "/"', async () => {
    invoke.mockResolvedValue({ name: 'Keyrack', version: '1', sandbox: false, logDir: null });
    render(App);
    await fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox'));
  });
});
