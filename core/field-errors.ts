// Field errors as apimachinery's util/validation/field writes them: a path such as
// `spec.template.spec.containers[0].image`, a type ("Required value", "Invalid value", …) and a
// detail. Admission collects them and core/errors.ts `invalid()` turns them into one 422 Status
// whose causes kubectl prints, e.g.
//   The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value
//
// Bad values are rendered as field.ErrorBody does: strings quoted, numbers and booleans bare, other
// values as JSON — which is exactly JSON.stringify — and a nil value as the string "null".

import type { StatusCause } from './errors.ts';

export type FieldCause = StatusCause & { field: string };

/** A field path: `spec`, `spec.containers[0]`, `metadata.labels[app]`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name: string): FieldPath {
    return new FieldPath(name);
  }
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

const show = (value: unknown) => JSON.stringify(value ?? 'null');
const withDetail = (body: string, detail?: string) => (detail ? `${body}: ${detail}` : body);

export const required = (path: FieldPath, detail?: string): FieldCause => ({
  reason: 'FieldValueRequired',
  message: withDetail('Required value', detail),
  field: String(path),
});

export const invalidValue = (path: FieldPath, value: unknown, detail?: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  message: withDetail(`Invalid value: ${show(value)}`, detail),
  field: String(path),
});

export const notSupported = (path: FieldPath, value: unknown, supported: readonly string[]): FieldCause => ({
  reason: 'FieldValueNotSupported',
  message: withDetail(`Unsupported value: ${show(value)}`, `supported values: ${supported.map((s) => show(s)).join(', ')}`),
  field: String(path),
});

export const duplicate = (path: FieldPath, value: unknown): FieldCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${show(value)}`,
  field: String(path),
});

export const forbidden = (path: FieldPath, detail: string): FieldCause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
  field: String(path),
});

export const notFound = (path: FieldPath, value: unknown): FieldCause => ({
  reason: 'FieldValueNotFound',
  message: `Not found: ${show(value)}`,
  field: String(path),
});

export const tooLong = (path: FieldPath, maxBytes: number): FieldCause => ({
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${maxBytes} bytes`,
  field: String(path),
});

/** One cause per message of a validator from core/names.ts (how ValidateObjectMeta reports names). */
export const invalidEach = (path: FieldPath, value: unknown, messages: string[]): FieldCause[] =>
  messages.map((m) => invalidValue(path, value, m));

/** "field: message", the way field.Error prints itself (and parsers embed it in their errors). */
export const causeText = (c: FieldCause): string => `${c.field}: ${c.message}`;
