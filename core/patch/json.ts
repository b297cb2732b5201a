// Small helpers for plain JSON values, shared by the patch modules (equality: core/metadata deepEqual).

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
