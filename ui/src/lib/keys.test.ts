import { describe, expect, it } from 'vitest';
import { filterKeys, type KeyRow } from './keys';

const rows: KeyRow[] = [
  { id: 'ApiKey-1234', name: 'ci deploy', vendor: 'IBM Cloud', account: 'prod' },
  { id: 'SCW0123456789ABCDEFG', name: 'backup', vendor: 'Scaleway', account: 'sandbox' },
  { id: 'aa:bb:cc', name: 'ci signer', vendor: 'OCI', account: 'prod' },
];

describe('filterKeys', () => {
  it('returns every row for an empty or blank query', () => {
    expect(filterKeys(rows, '')).toEqual(rows);
    expect(filterKeys(rows, '   ')).toEqual(rows);
  });

  it('matches name, id, vendor and account case-insensitively', () => {
    expect(filterKeys(rows, 'scw0123').map((r) => r.name)).toEqual(['backup']);
    expect(filterKeys(rows, 'oci').map((r) => r.name)).toEqual(['ci signer']);
    expect(filterKeys(rows, 'PROD').map((r) => r.name)).toEqual(['ci deploy', 'ci signer']);
  });

  it('requires every word to match', () => {
    expect(filterKeys(rows, 'ci prod ibm').map((r) => r.id)).toEqual(['ApiKey-1234']);
    expect(filterKeys(rows, 'ci scaleway')).toEqual([]);
  });
});
