// --token-auth-file parsing: the kube-apiserver CSV format, quoted group lists, comments, errors by line.

import t from 'tap';
import { csvFields, parseTokenFile } from '../../api/auth/token-file.ts';

t.test('tokens with and without groups, comments and blank lines skipped', async (t) => {
  const tokens = parseTokenFile(['# comment', 'tok1,alice,u1,"dev,ops"', '', 'tok2,bob,u2', 'tok3,carol,,admins'].join('\n'));
  t.same(tokens.get('tok1'), { name: 'alice', uid: 'u1', groups: ['dev', 'ops'] });
  t.same(tokens.get('tok2'), { name: 'bob', uid: 'u2', groups: [] });
  t.same(tokens.get('tok3'), { name: 'carol', groups: ['admins'] });
  t.equal(tokens.size, 3);
});

t.test('CSV quoting: commas inside quotes, doubled quotes', async (t) => {
  t.same(csvFields('a,"b,c",d'), ['a', 'b,c', 'd']);
  t.same(csvFields('"say ""hi""",x'), ['say "hi"', 'x']);
});

t.test('malformed lines name their line number', async (t) => {
  t.throws(() => parseTokenFile('ok,alice,u1\nonlytoken'), /line 2/);
  t.throws(() => parseTokenFile(',alice,u1'), /line 1/);
  t.throws(() => parseTokenFile('tok,alice,u1,"dev'), /line 1: unterminated quote/);
});
