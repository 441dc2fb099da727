import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import KeyList from './KeyList.svelte';

const keys = [
  { id: 'ApiKey-1', name: 'deploy', vendor: 'IBM Cloud', account: 'prod' },
  { id: 'SCWABC', name: 'backup', vendor: 'Scaleway', account: 'lab' },
];

describe('KeyList', () => {
  it('shows the empty state when there are no keys', () => {
    render(KeyList, { keys: [], query: 'anything' });
    expect(screen.getByTestId('keys-empty')).toBeTruthy();
  });

  it('lists only the rows matching the query', () => {
    render(KeyList, { keys, query: 'scaleway' });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['backupSCWABCScalewaylab']);
  });

  it('says so when nothing matches', () => {
    render(KeyList, { keys, query: 'oci' });
    expect(screen.getByTestId('keys-no-match').textContent).toContain('No keys match “oci”');
  });
});
