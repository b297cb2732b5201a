// DaemonSet and StatefulSet revisions through the real kubectl: ControllerRevisions per template,
// `rollout status|history|undo [--to-revision=N]` for ds and sts, and a partitioned StatefulSet
// rollout. Waits on cluster state, never on timing.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: fluentd:v1
`;

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 3
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.26
`;

const images = (rw: Awaited<ReturnType<typeof startRewind>>, label: string) =>
  rw.kubectl('get', 'po', '-l', label, '--sort-by=.metadata.name', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}');

t.test('daemonset: rollout status, history with change causes, undo and undo --to-revision', async (t) => {
  const rw = await startRewind(t, ['--nodes', '3']);
  t.equal((await rw.kubectl('apply', '-f', rw.file('ds.yaml', daemonSet))).code, 0);
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stdout, /daemon set "agent" successfully rolled out/);

  // A revision copies the owner's annotations when it is made, so the change cause goes first.
  await rw.kubectl('annotate', 'ds/agent', 'kubernetes.io/change-cause=image v2');
  await rw.kubectl('set', 'image', 'ds/agent', 'agent=fluentd:v2');
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stdout, /daemon set "agent" successfully rolled out/);
  t.match((await images(rw, 'app=agent')).stdout, /^(agent-\w+=fluentd:v2 ){3}$/, 'every node runs v2');
  const revisions = await rw.kubectl('get', 'controllerrevisions', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.metadata.name}:{.revision} {end}');
  t.match(revisions.stdout, /^agent-\w+:[12] agent-\w+:[12] $/, 'two ControllerRevisions named <ds>-<hash>');

  const history = await rw.kubectl('rollout', 'history', 'ds/agent');
  t.match(history.stdout, /REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+image v2/);
  t.match((await rw.kubectl('rollout', 'history', 'ds/agent', '--revision=1')).stdout, /Image:\s+fluentd:v1/);

  t.match((await rw.kubectl('rollout', 'undo', 'ds/agent')).stdout, /daemonset.apps\/agent rolled back/);
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stdout, /successfully rolled out/);
  const back = await eventually(() => images(rw, 'app=agent'), (r) => /^(agent-\w+=fluentd:v1 ){3}$/.test(r.stdout));
  t.match(back.stdout, /^(agent-\w+=fluentd:v1 ){3}$/, 'undo brings v1 back to every node');
  t.match((await rw.kubectl('rollout', 'history', 'ds/agent')).stdout, /\n2\s+image v2\s*\n3\s/, 'the v1 revision is renumbered 3');

  t.match((await rw.kubectl('rollout', 'undo', 'ds/agent', '--to-revision=2')).stdout, /rolled back/);
  const v2 = await eventually(() => images(rw, 'app=agent'), (r) => /^(agent-\w+=fluentd:v2 ){3}$/.test(r.stdout));
  t.match(v2.stdout, /^(agent-\w+=fluentd:v2 ){3}$/);
  // kubectl compares the revision's data byte for byte with the template it reads back.
  t.match((await rw.kubectl('rollout', 'undo', 'ds/agent', '--to-revision=4')).stdout, /skipped rollback \(current template already matches revision 4\)/);
  t.match((await rw.kubectl('rollout', 'undo', 'ds/agent', '--to-revision=9')).stderr, /unable to find specified revision 9 in history/);

  // Orphaned pods and revisions are adopted by the next daemon set of that name and selector.
  t.equal((await rw.kubectl('delete', 'ds', 'agent', '--cascade=orphan')).code, 0);
  t.equal((await rw.kubectl('apply', '-f', rw.file('ds.yaml', daemonSet))).code, 0);
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stdout, /successfully rolled out/);
  const adopted = await eventually(() => rw.kubectl('rollout', 'history', 'ds/agent'), (r) => /\n5\s/.test(r.stdout));
  t.match(adopted.stdout, /REVISION\s+CHANGE-CAUSE\s*\n4\s+image v2\s*\n5\s/, 'the adopted history goes on: v1 is revision 5');
});

t.test('statefulset: partitioned rollout, history --revision, undo, status', async (t) => {
  const rw = await startRewind(t, ['--nodes', '2']);
  t.equal((await rw.kubectl('apply', '-f', rw.file('sts.yaml', statefulSet))).code, 0);
  // The API defaults rollingUpdate.partition to 0, so kubectl reports every rollout as partitioned.
  t.match((await rw.kubectl('rollout', 'status', 'sts/web', '--timeout=90s')).stdout, /partitioned roll out complete: 3 new pods have been updated/);

  await rw.kubectl('patch', 'sts/web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}');
  await rw.kubectl('set', 'image', 'sts/web', 'web=nginx:1.27');
  t.match((await rw.kubectl('rollout', 'status', 'sts/web', '--timeout=90s')).stdout, /partitioned roll out complete: 1 new pods have been updated/);
  t.equal((await images(rw, 'app=web')).stdout, 'web-0=nginx:1.26 web-1=nginx:1.26 web-2=nginx:1.27 ', 'only ordinals ≥ 2 are updated');
  await rw.kubectl('delete', 'pod', 'web-0');
  const recreated = await eventually(() => images(rw, 'app=web'), (r) => r.stdout.startsWith('web-0='));
  t.equal(recreated.stdout, 'web-0=nginx:1.26 web-1=nginx:1.26 web-2=nginx:1.27 ', 'a pod below the partition comes back at the current revision');

  await rw.kubectl('patch', 'sts/web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}');
  t.match((await rw.kubectl('rollout', 'status', 'sts/web', '--timeout=90s')).stdout, /partitioned roll out complete: 3 new pods have been updated/);
  t.equal((await images(rw, 'app=web')).stdout, 'web-0=nginx:1.27 web-1=nginx:1.27 web-2=nginx:1.27 ');
  const status = await rw.kubectl('get', 'sts/web', '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision}');
  const [current, update] = status.stdout.split(' ');
  t.equal(current, update, 'the rollout completed: currentRevision = updateRevision');

  t.match((await rw.kubectl('rollout', 'history', 'sts/web')).stdout, /REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>\s*$/);
  t.match((await rw.kubectl('rollout', 'history', 'sts/web', '--revision=1')).stdout, /Image:\s+nginx:1\.26/);
  t.match((await rw.kubectl('rollout', 'undo', 'sts/web')).stdout, /statefulset.apps\/web rolled back/);
  const back = await eventually(() => images(rw, 'app=web'), (r) => r.stdout === 'web-0=nginx:1.26 web-1=nginx:1.26 web-2=nginx:1.26 ');
  t.equal(back.stdout, 'web-0=nginx:1.26 web-1=nginx:1.26 web-2=nginx:1.26 ', 'undo rolls every pod back');
  t.match((await rw.kubectl('rollout', 'history', 'sts/web')).stdout, /REVISION\s+CHANGE-CAUSE\s*\n2\s+<none>\s*\n3\s+<none>\s*$/, 'the old template is revision 3 now');
});

t.test('daemonset update strategies: OnDelete replaces only deleted pods; maxSurge rolls new pods in first', async (t) => {
  const rw = await startRewind(t, ['--nodes', '2']);
  const onDelete = daemonSet.replace('spec:\n  selector:', 'spec:\n  updateStrategy:\n    type: OnDelete\n  selector:');
  t.equal((await rw.kubectl('apply', '-f', rw.file('ds.yaml', onDelete))).code, 0);
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stderr, /rollout status is only available for RollingUpdate strategy type/, 'as kubectl says for OnDelete');
  const ready = await eventually(() => images(rw, 'app=agent'), (r) => /^(agent-\w+=fluentd:v1 ){2}$/.test(r.stdout));
  await rw.kubectl('set', 'image', 'ds/agent', 'agent=fluentd:v2');
  const victim = ready.stdout.split(' ')[0].split('=')[0];
  const untouched = await eventually(() => rw.kubectl('get', 'ds', 'agent', '-o', 'jsonpath={.status.observedGeneration}'), (r) => r.stdout === '2');
  t.equal(untouched.stdout, '2');
  t.equal((await images(rw, 'app=agent')).stdout, ready.stdout, 'nothing replaced by itself');
  await rw.kubectl('delete', 'pod', victim);
  const mixed = await eventually(() => images(rw, 'app=agent'), (r) => /fluentd:v2/.test(r.stdout) && r.stdout.trim().split(' ').length === 2);
  t.match(mixed.stdout, /fluentd:v1 .*fluentd:v2 |fluentd:v2 .*fluentd:v1 /, 'the deleted pod came back at v2, the other stays v1');
  const running = await eventually(() => rw.kubectl('get', 'po', '-l', 'app=agent', '--field-selector=status.phase=Running', '--no-headers'), (r) => r.stdout.trim().split('\n').length === 2);
  t.equal(running.stdout.trim().split('\n').length, 2, 'both running before the strategy changes');

  await rw.kubectl('patch', 'ds/agent', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}');
  await rw.kubectl('set', 'image', 'ds/agent', 'agent=fluentd:v3');
  t.match((await rw.kubectl('rollout', 'status', 'ds/agent', '--timeout=60s')).stdout, /daemon set "agent" successfully rolled out/);
  const done = await eventually(() => images(rw, 'app=agent'), (r) => /^(agent-\w+=fluentd:v3 ){2}$/.test(r.stdout));
  t.match(done.stdout, /^(agent-\w+=fluentd:v3 ){2}$/, 'surged to v3 on every node');
});
