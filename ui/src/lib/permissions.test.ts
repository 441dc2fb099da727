import { describe, expect, it } from 'vitest';
import { CAPS } from '../test/fixtures';
import { permissionsError, permissionsForm, permissionsText, samePermissions, toPermissions } from './permissions';
import type { Permissions } from './types';

const spec = CAPS.openai.permissions!;

describe('permissions', () => {
  it('words a key’s permissions as the dashboard does, in the vendor’s order', () => {
    expect(permissionsText({ mode: 'all', resources: {} }, spec)).toBe('All');
    expect(permissionsText({ mode: 'read_only', resources: {} }, spec)).toBe('Read only');
    expect(permissionsText({ mode: 'restricted', resources: { files: 'write', models: 'read' } }, spec)).toBe(
      'Restricted: models read, files write',
    );
    expect(permissionsText({ mode: 'restricted', resources: { other: 'read' } }, null)).toBe('Restricted: other read');
    expect(permissionsText({ mode: 'restricted', resources: {} }, spec)).toBe('Restricted');
  });

  it('turns the form into permissions and back, leaving out resources at none', () => {
    const now: Permissions = { mode: 'restricted', resources: { models: 'read' } };
    const form = permissionsForm(spec, now);
    expect(form.mode).toBe('restricted');
    expect(form.levels).toMatchObject({ models: 'read', files: 'none' });
    expect(toPermissions(form)).toEqual(now);
    form.mode = 'read_only';
    expect(toPermissions(form)).toEqual({ mode: 'read_only', resources: {} });
    expect(permissionsForm(spec, null).mode).toBe('all');
    expect(samePermissions(now, { mode: 'restricted', resources: { models: 'read', files: 'none' } })).toBe(true);
    expect(samePermissions(now, { mode: 'read_only', resources: {} })).toBe(false);
  });

  it('refuses a restricted key that may do nothing', () => {
    expect(permissionsError({ mode: 'restricted', resources: {} })).toMatch(/at least one/);
    expect(permissionsError({ mode: 'restricted', resources: { files: 'read' } })).toBeUndefined();
    expect(permissionsError({ mode: 'all', resources: {} })).toBeUndefined();
  });
});
