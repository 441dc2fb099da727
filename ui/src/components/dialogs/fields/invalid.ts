// The attributes that tie a field's input to its message (FieldError): screen readers read the
// message with the field, and a form's submit finds the first invalid field to focus.

export function invalid(name: string, error: string | undefined) {
  return { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': `err-${name}` };
}
