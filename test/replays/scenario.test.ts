// Every shipped scenario passes; a scenario run twice gives the same log (digest); a broken
// expectation fails with a message naming what was expected and what was seen; bad files are refused.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runScenario } from '../../replays/scenario.ts';
import { parseScenario, ScenarioError } from '../../replays/scenario-file.ts';

const DIR = fileURLToPath(new URL('../../replays/scenarios/', import.meta.url));
const shipped = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

for (const file of shipped) {
  t.test(`scenario ${file} passes`, async (t) => {
    const r = await runScenario(parseScenario(readFileSync(DIR + file, 'utf8')));
    t.ok(r.ok, r.timeline.join('\n'));
    t.ok(r.results.length > 0, 'it has expectations');
    t.match(r.digest, /^[0-9a-f]{64}$/);
  });
}

t.test('the same scenario twice gives the same log, byte for byte', async (t) => {
  const text = readFileSync(DIR + 'rolling-update.yaml', 'utf8');
  const a = await runScenario(parseScenario(text));
  const b = await runScenario(parseScenario(text));
  t.equal(a.digest, b.digest);
  t.same(a.timeline, b.timeline);
});

t.test('a broken expectation fails with a clear message', async (t) => {
  const text = readFileSync(DIR + 'rolling-update.yaml', 'utf8').replace('status.replicas: 3}', 'status.replicas: 5}');
  const r = await runScenario(parseScenario(text));
  t.notOk(r.ok);
  const failed = r.results.filter((x) => !x.held);
  t.equal(failed.length, 1);
  t.match(failed[0].text, /by t\+4m deployment\/web .*status\.replicas = 5/);
  t.match(failed[0].detail, /not by t\+240s \(at the end: \[2,3,3,3\]\)/);
  t.ok(r.timeline.some((l) => /^FAILED/.test(l)));
});

t.test('bad scenario files are refused with the place of the mistake', async (t) => {
  t.throws(() => parseScenario('steps: [{at: soon, scale: {deployment: web, replicas: 2}}]'), new ScenarioError('steps[0].at: "soon" is not a duration (30s, 2m, 1h)'));
  t.throws(() => parseScenario('steps: [{at: 1m, jump: {}}]'), /steps\[0\]: unknown step/);
  t.throws(() => parseScenario('expect: [{by: 1m, object: gizmo/x, field: a, equals: 1}]'), /expect\[0\]\.object: "gizmo\/x" is not TYPE\/NAME/);
});
