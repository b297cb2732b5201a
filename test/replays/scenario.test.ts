// Every shipped scenario passes; a scenario run twice gives the same log (digest); a broken
// expectation fails with a message naming what was expected and what was seen; bad files are refused;
// wait steps follow kubectl wait's --for forms, and one that times out fails the scenario.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runScenario } from '../../replays/scenario.ts';
import { parseScenario, ScenarioError } from '../../replays/scenario-file.ts';
import { parseWaitFor, waitHolds } from '../../replays/scenario-wait.ts';
import type { KObject } from '../../core/object.ts';

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

t.test('wait steps: kubectl wait --for forms, in virtual time', async (t) => {
  const dep = (status: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status }) as KObject;
  const available = dep({ phase: 'Running', conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'False' }] });
  const rows: [string, KObject | undefined, boolean][] = [
    ['condition=Available', available, true],
    ['condition=available=true', available, true], // names and values compare case-insensitively
    ['condition=Progressing', available, false],
    ['condition=Progressing=False', available, true],
    ['condition=Available', undefined, false],
    ['delete', undefined, true],
    ['delete', available, false],
    ['create', available, true],
    ['jsonpath={.status.phase}=Running', available, true],
    ['jsonpath={.status.conditions[1].type}=Progressing', available, true],
    ['jsonpath={.status.phase}=Pending', available, false],
    ['jsonpath={.status.conditions}', available, true], // without a value: the field exists
    ['jsonpath={.status.podIP}', available, false],
  ];
  // for: rollout, as kubectl rollout status reads a deployment (generation 2, 3 replicas wanted).
  const rollout = (status: Record<string, number>) => ({ ...dep(status), metadata: { name: 'web', generation: 2 }, spec: { replicas: 3 } }) as unknown as KObject;
  rows.push(
    ['rollout', rollout({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), true],
    ['rollout', rollout({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), false], // the new spec not yet observed
    ['rollout', rollout({ observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 3 }), false], // not every replica updated
    ['rollout', rollout({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), false], // an old replica left
    ['rollout', rollout({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), false], // not all available
  );
  for (const [text, obj, holds] of rows) t.equal(waitHolds(parseWaitFor(text)!, obj), holds, `${text} on ${obj ? 'the deployment' : 'nothing'}`);
  for (const bad of ['condition', 'ready', 'jsonpath=.status.phase', 'jsonpath={status}']) t.equal(parseWaitFor(bad), undefined, bad);
  t.throws(() => parseScenario('steps: [{wait: {for: soon, object: deployment/web}}]'), /steps\[0\]\.wait\.for: "soon" is not a kubectl wait condition/);
  t.throws(() => parseScenario('steps: [{wait: {for: rollout, object: pod/web-0}}]'), /steps\[0\]\.wait: for: rollout waits for a deployment, not a pod/);

  const shipped = await runScenario(parseScenario(readFileSync(DIR + 'rolling-update.yaml', 'utf8')));
  t.match(shipped.timeline.join('\n'), /t\+[\d.]+s +wait for condition=Available on deployment\/web \(timeout 60s\): met/);
  const undo = await runScenario(parseScenario(readFileSync(DIR + 'rollout-undo.yaml', 'utf8')));
  t.match(undo.timeline.join('\n'), /t\+[\d.]+s +wait for rollout on deployment\/web \(timeout 120s\): met/);
});

t.test('a wait that times out fails the scenario and stops its steps', async (t) => {
  const text = readFileSync(DIR + 'rolling-update.yaml', 'utf8').replace('{for: condition=Available, object: deployment/web, timeout: 60s}', '{for: "jsonpath={.status.availableReplicas}=4", object: deployment/web, timeout: 20s}');
  const r = await runScenario(parseScenario(text));
  t.notOk(r.ok);
  const failed = r.results.filter((x) => !x.held);
  t.match(failed[0], { text: 'wait for jsonpath={.status.availableReplicas}=4 on deployment/web', detail: 'timed out after 20s at t+20s (the field is 3)' });
  t.match(r.timeline.join('\n'), /t\+20s +wait for jsonpath=\{\.status\.availableReplicas\}=4 on deployment\/web \(timeout 20s\): FAILED: timed out after 20s at t\+20s \(the field is 3\); the steps after it did not run/);
  t.notOk(r.timeline.some((l) => /patch deployment\/web/.test(l)), 'the patch after the wait did not run');
});
