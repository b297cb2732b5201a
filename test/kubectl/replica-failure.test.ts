// ReplicaFailure through the real kubectl: a ResourceQuota pods=2 and a deployment of 4 → the
// replica set stops at 2 pods, `kubectl describe rs` shows the FailedCreate Warning with the quota
// error, the deployment carries ReplicaFailure=True; raising the quota brings the missing pods and
// clears the condition. Waits on cluster state, never on timing.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const quota = (pods: number) => `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "${pods}"
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
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
        image: nginx:1.27
`;

const FAILURE = '{.status.conditions[?(@.type=="ReplicaFailure")].status} {.status.conditions[?(@.type=="ReplicaFailure")].reason}';

t.test('quota pods=2, deployment of 4: FailedCreate and ReplicaFailure; raising the quota heals it', async (t) => {
  const rw = await startRewind(t);
  t.equal((await rw.kubectl('apply', '-f', rw.file('quota.yaml', quota(2)))).code, 0);
  t.equal((await rw.kubectl('apply', '-f', rw.file('deploy.yaml', deployment))).code, 0);

  const failing = await eventually(() => rw.kubectl('get', 'deploy', 'web', '-o', `jsonpath=${FAILURE}`), (r) => r.stdout === 'True FailedCreate');
  t.equal(failing.stdout, 'True FailedCreate', 'the deployment shows ReplicaFailure');
  const describe = await rw.kubectl('describe', 'rs', '-l', 'app=web');
  t.match(describe.stdout, /ReplicaFailure\s+True\s+FailedCreate/, 'the replica set condition');
  t.match(describe.stdout, /Warning\s+FailedCreate\s+.*replicaset-controller\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2/);
  t.equal((await rw.kubectl('get', 'po', '-l', 'app=web', '--no-headers')).stdout.trim().split('\n').length, 2, 'two pods fit');
  t.match((await rw.kubectl('get', 'quota', 'compute', '--no-headers')).stdout, /^compute\s+\S+\s+pods: 2\/2\s*$/, 'the quota shows its usage');
  const refused = await rw.kubectl('run', 'extra', '--image=nginx');
  t.match(refused.stderr, /Error from server \(Forbidden\): pods "extra" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2/, 'a user create gets the same 403');

  t.equal((await rw.kubectl('apply', '-f', rw.file('quota.yaml', quota(10)))).code, 0);
  const healed = await eventually(() => rw.kubectl('get', 'deploy', 'web', '-o', `jsonpath=${FAILURE}|{.status.replicas}`), (r) => r.stdout === ' |4');
  t.equal(healed.stdout, ' |4', 'the condition is gone and 4 pods exist');
  t.match((await rw.kubectl('rollout', 'status', 'deploy/web', '--timeout=60s')).stdout, /successfully rolled out/);
  t.notMatch((await rw.kubectl('describe', 'rs', '-l', 'app=web')).stdout, /ReplicaFailure/, 'the replica set condition is cleared');
});
