// Key permissions as the vendor's dashboard offers them (Capabilities.permissions): all, read
// only, or restricted per resource. Words and conversions only; never names a vendor.
import type { PermissionLevel, PermissionMode, Permissions, PermissionsSpec } from './types';

/** The form's state: a mode and, for restricted, each resource's level. */
export interface PermissionsForm {
  mode: PermissionMode;
  levels: Record<string, PermissionLevel>;
}

export const MODES: { id: PermissionMode; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'restricted', label: 'Restricted' },
  { id: 'read_only', label: 'Read only' },
];

export const LEVEL_LABELS: Record<PermissionLevel, string> = { none: 'None', read: 'Read', write: 'Write' };

/** The form for a key's permissions now (all when unknown), every resource given a level. */
export function permissionsForm(spec: PermissionsSpec, p: Permissions | null): PermissionsForm {
  const levels: Record<string, PermissionLevel> = {};
  for (const r of spec.resources) levels[r.id] = p?.mode === 'restricted' ? (p.resources[r.id] ?? 'none') : 'none';
  return { mode: p?.mode ?? 'all', levels };
}

/** What the form asks for; resources at `none` are left out, as the backend reads them. */
export function toPermissions(form: PermissionsForm): Permissions {
  const resources: Permissions['resources'] = {};
  if (form.mode === 'restricted')
    for (const [id, level] of Object.entries(form.levels)) if (level !== 'none') resources[id] = level;
  return { mode: form.mode, resources };
}

export function samePermissions(a: Permissions | null, b: Permissions | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = (p: Permissions) =>
    Object.entries(p.resources)
      .filter(([, l]) => l !== 'none')
      .map(([k, l]) => `${k}:${l}`)
      .sort()
      .join(',');
  return a.mode === b.mode && keys(a) === keys(b);
}

/** "All", "Read only", "Restricted: models read, files write" (in the vendor's order). */
export function permissionsText(p: Permissions, spec: PermissionsSpec | null): string {
  if (p.mode === 'all') return 'All';
  if (p.mode === 'read_only') return 'Read only';
  const ids = spec ? spec.resources.map((r) => r.id) : Object.keys(p.resources);
  for (const id of Object.keys(p.resources)) if (!ids.includes(id)) ids.push(id);
  const parts = ids
    .filter((id) => (p.resources[id] ?? 'none') !== 'none')
    .map((id) => {
      const label = spec?.resources.find((r) => r.id === id)?.label ?? id;
      return `${label.toLowerCase()} ${p.resources[id]}`;
    });
  return parts.length > 0 ? `Restricted: ${parts.join(', ')}` : 'Restricted';
}

/** Why the permissions cannot be sent, if they cannot. */
export function permissionsError(p: Permissions): string | undefined {
  if (p.mode === 'restricted' && !Object.values(p.resources).some((l) => l && l !== 'none'))
    return 'Give at least one resource read or write access';
  return undefined;
}
