// How vendors and accounts are written where space is short. Presentation only: nothing here
// decides what the app can do with a vendor.
import type { VendorId } from './types';

const SHORT: Partial<Record<VendorId, string>> = { oci: 'OCI' };

/** "OCI" for "Oracle Cloud (OCI)"; other names are short already. */
export function shortVendorName(vendor: VendorId, name: string): string {
  return SHORT[vendor] ?? name;
}

/** A sandbox account's name without its "(Sandbox)" suffix, where a Sandbox badge stands beside it. */
export function accountLabel(name: string, sandbox: boolean): string {
  return sandbox ? name.replace(/\s*\(sandbox\)\s*$/i, '') || name : name;
}
