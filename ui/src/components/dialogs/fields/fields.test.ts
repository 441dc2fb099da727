import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CAPS } from '../../../test/fixtures';
import ExpiryField from './ExpiryField.svelte';
import KeySourceField from './KeySourceField.svelte';
import OwnerField from './OwnerField.svelte';
import ProjectField from './ProjectField.svelte';
import ProtectionField from './ProtectionField.svelte';
import ScopesField from './ScopesField.svelte';
import TextInputField from './TextInputField.svelte';

const PROJECTS = [
  { id: 'p1', name: 'Research' },
  { id: 'p2', name: 'Production' },
];

function options(select: HTMLElement): string[] {
  return [...(select as HTMLSelectElement).options].map((o) => o.textContent ?? '');
}

describe('TextInputField', () => {
  it('labels its input and, given the vendor’s rule, says it is optional and counts characters', () => {
    render(TextInputField, { id: 'f', name: 'description', label: 'Description', value: 'café ☕', rule: { required: false, max_len: 200 } });
    const input = screen.getByLabelText('Description (optional)') as HTMLInputElement;
    expect(input.tagName).toBe('INPUT');
    expect(input.value).toBe('café ☕');
    expect(screen.getByText('6/200')).toBeTruthy();
  });

  it('has no counter nor optional mark without a rule, and can be a text area', () => {
    const { container } = render(TextInputField, { id: 'f', name: 'description', label: 'Description', multiline: true });
    expect(screen.getByLabelText('Description').tagName).toBe('TEXTAREA');
    expect(container.querySelector('.help')).toBeNull();
  });

  it('ties its error to the input', () => {
    render(TextInputField, { id: 'f', name: 'name', label: 'Name', error: 'A name is required' });
    const input = screen.getByLabelText('Name');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(input.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('A name is required');
    expect(message?.dataset.errorFor).toBe('name');
  });
});

describe('ProjectField', () => {
  it('creating: a blank choice first, which must be replaced when a project is required', () => {
    render(ProjectField, { id: 'p', label: 'Project', projects: PROJECTS, rule: { required: true, max_len: 128 } });
    expect(options(screen.getByLabelText('Project'))).toEqual(['Choose…', 'Research', 'Production']);
  });

  it('creating, optional: the blank choice is the vendor’s default', () => {
    render(ProjectField, { id: 'p', label: 'Default project', projects: PROJECTS, rule: { required: false, max_len: 36 } });
    expect(options(screen.getByLabelText('Default project (optional)'))).toEqual(['Default', 'Research', 'Production']);
  });

  it('editing: the key’s project stays a choice even when the vendor does not list it', () => {
    render(ProjectField, { id: 'p', label: 'Project', projects: PROJECTS, value: 'p-gone', editing: true });
    const select = screen.getByLabelText('Project') as HTMLSelectElement;
    expect(options(select)).toEqual(['p-gone', 'Research', 'Production']);
    expect(select.value).toBe('p-gone');
  });

  it('takes an ID typed in when the vendor lists no project', () => {
    render(ProjectField, { id: 'p', label: 'Project', projects: [], placeholder: 'Project ID' });
    const input = screen.getByLabelText('Project') as HTMLInputElement;
    expect(input.tagName).toBe('INPUT');
    expect(input.placeholder).toBe('Project ID');
  });
});

describe('ScopesField', () => {
  it('lists the vendor’s scopes under one legend, ticked as given', () => {
    render(ScopesField, { options: CAPS.codefresh.scopes, value: ['pipeline'] });
    const group = screen.getByRole('group', { name: 'Scopes' });
    expect(group.querySelectorAll('input[type=checkbox]')).toHaveLength(3);
    expect((screen.getByRole('checkbox', { name: /pipeline/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole('button', { name: 'Select all' })).toBeNull();
  });

  it('with tools, selects all or none and counts', async () => {
    render(ScopesField, { options: CAPS.codefresh.scopes, value: [], tools: true });
    expect(screen.getByText('0 of 3')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    expect(screen.getAllByRole('checkbox').every((c) => (c as HTMLInputElement).checked)).toBe(true);
    expect(screen.getByText('3 of 3')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'None' }));
    expect(screen.getByText('0 of 3')).toBeTruthy();
  });
});

describe('ExpiryField', () => {
  it('offers the presets as one radio group, and a date for a custom expiry', async () => {
    render(ExpiryField, {});
    expect(screen.getByRole('group', { name: 'Expires' })).toBeTruthy();
    const radios = screen.getByRole('radiogroup', { name: 'Expiry' }).querySelectorAll('input[type=radio]');
    expect([...radios].map((r) => (r as HTMLInputElement).value)).toEqual(['never', '30', '90', '365', 'custom']);
    expect(screen.queryByLabelText('Expiry date and time')).toBeNull();
    await fireEvent.click(screen.getByLabelText('Custom…'));
    expect(screen.getByLabelText('Expiry date and time')).toBeTruthy();
  });
});

describe('OwnerField', () => {
  const owners = [{ kind: 'user' as const, id: 'u1', name: 'Ada' }];

  it('offers the default, the listed owners and an ID typed in', () => {
    render(OwnerField, { field: CAPS.ibm.owner!, owners, loading: false, vendorName: 'IBM Cloud', otherKind: 'user' });
    expect(options(screen.getByLabelText('IAM identity (optional)'))).toEqual(['Default (see below)', 'Ada · User', 'Enter an ID…']);
    expect(screen.getByText(CAPS.ibm.owner!.help)).toBeTruthy();
  });

  it('asks for the kind with a typed ID only when the vendor has several', () => {
    render(OwnerField, { field: CAPS.ibm.owner!, owners, loading: false, vendorName: 'IBM Cloud', value: '__other__', otherKind: 'user' });
    expect(screen.getByLabelText('Owner kind')).toBeTruthy();
    expect(screen.getByLabelText('IAM identity ID')).toBeTruthy();
  });

  it('waits for the vendor’s list before a choice can be made', () => {
    render(OwnerField, { field: CAPS.oci.owner!, owners: [], loading: true, vendorName: 'OCI', value: '__other__', otherKind: 'user' });
    expect((screen.getByLabelText('User (optional)') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText(/Loading from OCI/)).toBeTruthy();
    expect(screen.queryByLabelText('Owner kind')).toBeNull();
  });
});

describe('ProtectionField', () => {
  it('offers what the vendor can do on create', () => {
    render(ProtectionField, { caps: CAPS.ibm });
    expect(screen.getByRole('group', { name: 'Protection' })).toBeTruthy();
    expect(screen.getByLabelText(/Create locked/)).toBeTruthy();
    expect(screen.getByLabelText('Create disabled')).toBeTruthy();
    expect(options(screen.getByLabelText('If the key leaks'))).toEqual(['Vendor default', 'None', 'Disable', 'Delete']);
  });

  it('leaves out what the vendor cannot do', () => {
    render(ProtectionField, { caps: { lock_on_create: false, disable_on_create: true, leak_actions: [] } });
    expect(screen.queryByLabelText(/Create locked/)).toBeNull();
    expect(screen.queryByLabelText('If the key leaks')).toBeNull();
  });
});

describe('KeySourceField', () => {
  it('generates a key pair of a chosen size, or takes a PEM when the vendor allows it', async () => {
    render(KeySourceField, { upload: true });
    expect(options(screen.getByLabelText('Key size'))).toEqual(['2048 bits', '3072 bits', '4096 bits']);
    await fireEvent.click(screen.getByLabelText('Upload a public key I already have (PEM)'));
    expect(screen.queryByLabelText('Key size')).toBeNull();
    expect(screen.getByLabelText('Public key (PEM)')).toBeTruthy();
  });

  it('only generates when the vendor takes no public key', () => {
    render(KeySourceField, { upload: false });
    expect(screen.queryByLabelText(/Upload a public key/)).toBeNull();
  });
});
