// The key service account tokens are signed with: 32 random bytes in <data>/sa.key, created on first
// start and kept (mode 0600), so tokens stay valid across restarts — like the apiserver's
// --service-account-key-file.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function serviceAccountKey(path: string): Buffer {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600 });
  return readFileSync(path);
}
