// What the sidebar lists: each vendor with the accounts configured for it.

export interface AccountEntry {
  id: string;
  label: string;
  sandbox: boolean;
}

export interface VendorGroup {
  vendor: string;
  name: string;
  accounts: AccountEntry[];
}
