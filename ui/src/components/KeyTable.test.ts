import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { filterRows, NO_FILTER, sortRows, toRow } from '../lib/keys';
import { account, key, manyKeys } from '../test/fixtures';
import KeyTable from './KeyTable.svelte';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ACCOUNTS = [account('ibm'), account('codefresh', 'cf-prod', false)];
const ROWS = manyKeys(10_000, ACCOUNTS, NOW).map((k) =>
  toRow(k, ACCOUNTS.find((a) => a.id === k.account), k.vendor === 'ibm' ? 'IBM Cloud' : 'Codefresh', NOW),
);

function props(over: Record<string, unknown> = {}) {
  return {
    rows: ROWS,
    selected: null,
    sort: { column: 'name' as const, descending: false },
    expiringDays: 7,
    now: NOW,
    onsort: vi.fn(),
    onselect: vi.fn(),
    oncopy: vi.fn(),
    ...over,
  };
}

const bodyRows = () => screen.getAllByRole('row').filter((r) => r.hasAttribute('data-key-id'));

describe('KeyTable with 10,000 keys', () => {
  it('puts only the rows in view in the DOM, with the full height reserved', () => {
    const { container } = render(KeyTable, props());
    const rendered = bodyRows();
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0].dataset.keyId).toBe('K-00000');
    const grid = screen.getByRole('grid', { name: 'API keys' });
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    const spacers = container.querySelectorAll<HTMLElement>('.spacer');
    const reserved = [...spacers].reduce((n, s) => n + parseFloat(s.style.height), 0);
    expect(reserved + rendered.length * 34).toBe(10_000 * 34);
  });

  it('renders the rows further down when scrolled', async () => {
    render(KeyTable, props());
    const grid = screen.getByRole('grid');
    grid.scrollTop = 34 * 6000;
    await fireEvent.scroll(grid);
    const ids = bodyRows().map((r) => r.dataset.keyId);
    expect(ids).toContain('K-06000');
    expect(ids).not.toContain('K-00000');
    expect(ids.length).toBeLessThan(60);
  });

  it('scrolls a selected row far down into view', async () => {
    const target = ROWS[9_000];
    render(KeyTable, props({ selected: target.uid, reveals: 1 }));
    const grid = screen.getByRole('grid');
    expect(grid.scrollTop).toBeGreaterThan(34 * 8_900);
    const row = bodyRows().find((r) => r.dataset.keyId === target.record.id);
    expect(row?.getAttribute('aria-selected')).toBe('true');
    expect(grid.getAttribute('aria-activedescendant')).toBe(row?.id);
  });

  it('shows a filtered and sorted store the same way', () => {
    const shown = sortRows(filterRows(ROWS, { ...NO_FILTER, query: 'billing' }, NOW), { column: 'id', descending: true });
    render(KeyTable, props({ rows: shown, sort: { column: 'id', descending: true } }));
    expect(bodyRows()[0].dataset.keyId).toBe('K-09990');
    expect(screen.getByRole('button', { name: 'Sort by id' }).closest('[role=columnheader]')?.getAttribute('aria-sort')).toBe('descending');
  });

  it('marks a key of another kind with its label', () => {
    const marked = ROWS.slice(0, 3).map((r, i) => (i === 1 ? { ...r, record: { ...r.record, kind_label: 'Admin key' } } : r));
    render(KeyTable, props({ rows: marked }));
    const labels = screen.getAllByTestId('kind-label');
    expect(labels.map((l) => l.textContent)).toEqual(['Admin key']);
    expect(labels[0].closest('[data-key-id]')?.getAttribute('data-key-id')).toBe(marked[1].record.id);
  });

  it('says the owner\'s kind beside a service user\'s name', () => {
    const cf = ACCOUNTS[1];
    const bot = toRow(
      key('codefresh', cf.id, 'su1/k1', { owner: { kind: 'service_account', id: 'su1', name: 'ci-bot' } }),
      cf,
      'Codefresh',
      NOW,
    );
    const own = toRow(key('codefresh', cf.id, 'k2', { owner: { kind: 'user', id: 'u1', name: 'jdoe' } }), cf, 'Codefresh', NOW);
    const { container } = render(KeyTable, props({ rows: [bot, own] }));
    const owners = [...container.querySelectorAll('[data-key-id] .cell.owner')].map((c) => c.textContent?.trim());
    expect(owners).toEqual(['ci-bot · Service account', 'jdoe']);
  });

  it('reports clicks on headers, rows and copy buttons', async () => {
    const p = props();
    render(KeyTable, p);
    await fireEvent.click(screen.getByRole('button', { name: 'Sort by expires' }));
    expect(p.onsort).toHaveBeenCalledWith('expires');
    const first = bodyRows()[0];
    await fireEvent.click(first);
    expect(p.onselect).toHaveBeenCalledWith(ROWS[0].uid);
    await fireEvent.click(screen.getByRole('button', { name: `Copy ID of ${ROWS[0].name}` }));
    expect(p.oncopy).toHaveBeenCalledWith('K-00000', 'ID');
    expect(p.onselect).toHaveBeenCalledTimes(1);
  });

  it('marks sandbox accounts and highlights keys expiring soon', () => {
    const soon = ROWS.find((r) => r.expiresMs !== null && r.expiresMs > NOW && r.expiresMs < NOW + 7 * 86_400_000);
    const later = ROWS.find((r) => r.expiresMs !== null && r.expiresMs > NOW + 30 * 86_400_000);
    if (!soon || !later) throw new Error('fixtures lack expiring keys');
    render(KeyTable, props({ rows: [soon, later] }));
    const [a, b] = bodyRows();
    expect(a.querySelector('.expires')?.classList.contains('soon')).toBe(true);
    expect(a.querySelector('.expires')?.textContent?.trim()).toMatch(/^in \d+ days?$/);
    expect(b.querySelector('.expires')?.classList.contains('soon')).toBe(false);
    const sandboxRows = bodyRows().filter((r) => r.textContent?.includes('Sandbox'));
    expect(sandboxRows.length).toBe([soon, later].filter((r) => r.sandbox).length);
  });
});
