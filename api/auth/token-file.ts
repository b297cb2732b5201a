// kube-apiserver's --token-auth-file: a CSV of `token,user,uid,"group1,group2"` (the groups column is
// optional and quoted when it holds several groups). Lines that are blank or start with # are skipped.
// A malformed line is an error naming its line number, as the apiserver refuses to start on one.

import type { UserInfo } from './user.ts';

/** Split one CSV line, honouring double quotes ("" inside quotes is a literal quote). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new Error('unterminated quote');
  fields.push(cur);
  return fields.map((f) => f.trim());
}

/** Token → user. Throws with the line number on a line with fewer than three fields or an empty token. */
export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    let fields: string[];
    try {
      fields = csvFields(line);
    } catch (e) {
      throw new Error(`token file line ${i + 1}: ${(e as Error).message}`);
    }
    const [token, name, uid, groups] = fields;
    if (fields.length < 3 || !token || !name) throw new Error(`token file line ${i + 1}: expected token,user,uid[,"group1,group2"]`);
    const user: UserInfo = { name, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] };
    if (uid) user.uid = uid;
    tokens.set(token, user);
  });
  return tokens;
}
