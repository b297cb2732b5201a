// busybox `tar cf - PATH…` over the simulated file system, so `kubectl cp POD:/etc/config ./config`
// works: kubectl execs exactly `tar cf - /etc/config` and reads a ustar archive from stdout. Only
// creating to stdout is simulated; extracting (`kubectl cp ./f POD:/tmp`, `tar xmf -`) would write
// into a sandbox that vanishes with the command, so it is refused like any unsimulated command.
//
// Layout (POSIX ustar): per entry a 512-byte header — name, mode, uid, gid, size and mtime in octal,
// the checksum, typeflag '0' file / '5' directory, "ustar\0" "00", owner names — then the content
// padded to 512 bytes (a name over 100 bytes comes first in a GNU 'L' entry); two zero blocks end the
// archive. Members lose their leading '/', as busybox says on stderr. The archive is built as a
// string of ASCII headers and the files' own text, which the exec stream sends as UTF-8: sizes and
// padding count those bytes.

import { listDir } from './files.ts';
import type { Result, Sandbox } from './sandbox.ts';

const BLOCK = 512;
const ZERO_BLOCK = '\0'.repeat(BLOCK);

/** A NUL-terminated octal field of `width` bytes. */
const octal = (n: number, width: number) => `${Math.floor(n).toString(8).padStart(width - 1, '0')}\0`;

/** A text field of `width` bytes, NUL-padded. */
const field = (text: string, width: number) => text.slice(0, width).padEnd(width, '\0');

function header(name: string, mode: number, size: number, mtime: number, type: '0' | '5' | 'L'): string {
  const fields = [
    field(name, 100), octal(mode, 8), octal(0, 8), octal(0, 8), octal(size, 12), octal(mtime, 12),
    ' '.repeat(8), type, field('', 100), 'ustar\0', '00', field('root', 32), field('root', 32),
  ];
  const block = fields.join('').padEnd(BLOCK, '\0');
  const sum = [...block].reduce((s, c) => s + c.charCodeAt(0), 0);
  return block.slice(0, 148) + `${sum.toString(8).padStart(6, '0')}\0 ` + block.slice(156);
}

/** Content padded to whole blocks. */
const padded = (content: string) => content + '\0'.repeat((BLOCK - (Buffer.byteLength(content) % BLOCK)) % BLOCK);

/** One member; a name over 100 bytes goes first in a GNU ././@LongLink entry, as busybox writes it. */
function entry(name: string, mode: number, content: string, mtime: number, type: '0' | '5'): string {
  const long = name.length > 100 ? header('././@LongLink', 0, Buffer.byteLength(name) + 1, 0, 'L') + padded(`${name}\0`) : '';
  return long + header(name, mode, Buffer.byteLength(content), mtime, type) + padded(content);
}

/** The members under `path`: the file, or the directory and everything below it. */
function members(box: Sandbox, path: string, mtime: number): string | undefined {
  const file = box.fs.files.get(path);
  const name = path.replace(/^\/+/, '');
  if (file) return entry(name, file.mode, file.content, mtime, '0');
  const entries = listDir(box.fs, path);
  if (entries === undefined) return undefined;
  const children = entries.map((e) => members(box, path === '/' ? `/${e}` : `${path}/${e}`, mtime) ?? '');
  return (name ? entry(`${name}/`, 0o755, '', mtime, '5') : '') + children.join('');
}

/** `tar cf - PATH…` (what kubectl cp runs); any other use is not simulated (undefined). */
export function tar(args: string[], box: Sandbox): Result | undefined {
  const [opts, file, ...paths] = args;
  if (!/^-?cf$/.test(opts ?? '') || file !== '-' || paths.length === 0) return undefined;
  const mtime = box.now / 1000;
  let archive = '';
  let stderr = paths.some((p) => p.startsWith('/')) ? "tar: removing leading '/' from member names\n" : '';
  for (const p of paths) {
    const path = p === '/' ? '/' : p.replace(/\/+$/, '');
    const found = members(box, path, mtime);
    if (found === undefined) stderr += `tar: ${p}: No such file or directory\n`;
    else archive += found;
  }
  const failed = stderr.includes('No such file');
  return { stdout: archive + ZERO_BLOCK + ZERO_BLOCK, stderr, code: failed ? 1 : 0 };
}
