// Mounted volumes (configMap, secret, projected, downwardAPI, emptyDir, subPath) and container logs.
import t from 'tap';
import { containerFiles, listDir } from '../../../controllers/container/files.ts';
import { containerLogs } from '../../../controllers/container/logs.ts';
import { viewOf } from '../../../controllers/runtime/testing.ts';
import { configMap, pod, secret, T0 } from '../service-fixtures.ts';
import { sandbox } from './sandbox.ts';

const multimap = configMap('multimap', { given: 'Nigel', family: 'Poulton' });
const files = (p: ReturnType<typeof pod>, objects = [multimap]) => containerFiles(p, 'c', viewOf([p, ...objects]));

t.test('configMap and secret volumes: a file per key, items with paths and modes, decoded secrets', async (t) => {
  const p = pod('v', {
    spec: {
      volumes: [
        { name: 'all', configMap: { name: 'multimap' } },
        { name: 'some', configMap: { name: 'multimap', items: [{ key: 'given', path: 'names/first', mode: 0o400 }], defaultMode: 0o600 } },
        { name: 'creds', secret: { secretName: 'creds' } },
        { name: 'scratch', emptyDir: {} },
      ],
      containers: [
        {
          name: 'c',
          image: 'x',
          volumeMounts: [
            { name: 'all', mountPath: '/etc/name' },
            { name: 'some', mountPath: '/etc/some' },
            { name: 'creds', mountPath: '/etc/creds', readOnly: true },
            { name: 'scratch', mountPath: '/cache' },
            { name: 'all', mountPath: '/etc/given.txt', subPath: 'given' },
          ],
        },
      ],
    },
  });
  const fs = files(p, [multimap, secret('creds', { password: 's3cr3t' })]);
  t.same(listDir(fs, '/etc/name'), ['family', 'given']);
  t.same(fs.files.get('/etc/name/given'), { content: 'Nigel', mode: 0o644 });
  t.same(fs.files.get('/etc/some/names/first'), { content: 'Nigel', mode: 0o400 });
  t.same(listDir(fs, '/etc/some'), ['names']);
  t.equal(fs.files.get('/etc/creds/password')?.content, 's3cr3t');
  t.same(listDir(fs, '/cache'), []);
  t.equal(fs.files.get('/etc/given.txt')?.content, 'Nigel', 'subPath mounts one file');
  t.same(listDir(fs, '/etc'), ['creds', 'given.txt', 'hostname', 'hosts', 'name', 'resolv.conf', 'some']);
});

t.test('projected and downwardAPI volumes', async (t) => {
  const p = pod('dw', {
    labels: { app: 'web', tier: 'front' },
    spec: {
      volumes: [
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { name: 'all-in-one', projected: { sources: [{ configMap: { name: 'multimap', items: [{ key: 'family', path: 'family' }] } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }, { serviceAccountToken: { path: 'token' } }] } },
      ],
      containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }, { name: 'all-in-one', mountPath: '/projected' }] }],
    },
  });
  const fs = files(p);
  t.equal(fs.files.get('/etc/podinfo/labels')?.content, 'app="web"\ntier="front"');
  t.equal(fs.files.get('/etc/podinfo/name')?.content, 'dw');
  t.same(listDir(fs, '/projected'), ['family', 'ns', 'token']);
  t.equal(fs.files.get('/projected/family')?.content, 'Poulton');
});

t.test('a ConfigMap change shows in mounted files but not in the environment (seed 001)', async (t) => {
  const p = pod('cm', {
    spec: {
      volumes: [{ name: 'm', configMap: { name: 'multimap' } }],
      containers: [{ name: 'c', image: 'x', env: [{ name: 'FIRSTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'given' } } }], volumeMounts: [{ name: 'm', mountPath: '/etc/name' }] }],
    },
  });
  const changed = configMap('multimap', { given: 'Ada', family: 'Lovelace' });
  const box = sandbox(p, 'c', [changed], [multimap]);
  t.equal(box.env.get('FIRSTNAME'), 'Nigel', 'env as at container start');
  t.equal(box.fs.files.get('/etc/name/given')?.content, 'Ada', 'files as now');
});

t.test('logs: seed 001 startup-pod echoes its $(VAR)-expanded command', async (t) => {
  const p = pod('startup-pod', {
    spec: {
      containers: [
        {
          name: 'args1',
          image: 'busybox',
          command: ['/bin/sh', '-c', 'echo First name $(FIRSTNAME) last name $(LASTNAME)', 'wait'],
          env: [{ name: 'FIRSTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'given' } } }, { name: 'LASTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'family' } } }],
        },
      ],
    },
  });
  t.same(containerLogs(sandbox(p, 'args1', [multimap]), T0 + 1000), [{ time: T0 + 1000, text: 'First name Nigel last name Poulton' }]);
});

t.test('logs: servers the simulation does not run print their start line, sleep prints nothing', async (t) => {
  const whoami = pod('w', { spec: { containers: [{ name: 'c', image: 'traefik/whoami', ports: [{ containerPort: 80 }] }] } });
  t.same(containerLogs(sandbox(whoami, 'c', []), T0).map((l) => l.text), ['Starting up on port 80']);
  const custom = pod('a', { spec: { containers: [{ name: 'c', image: 'example/app:1', command: ['/app/server', '--port=$(PORT)'], env: [{ name: 'PORT', value: '9000' }] }] } });
  t.same(containerLogs(sandbox(custom, 'c', []), T0).map((l) => l.text), ['rewind: container "c" started /app/server --port=9000 (its own output is not simulated)']);
  const sleeper = pod('s', { spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep'], args: ['infinity'] }] } });
  t.same(containerLogs(sandbox(sleeper, 'c', []), T0), []);
});
