// A container's environment: every source the kubelet reads, service link variables, $(VAR) expansion.
import t from 'tap';
import { containerEnv, serviceLinkVars } from '../../../controllers/container/env.ts';
import { expandVars } from '../../../controllers/container/expand.ts';
import { viewOf } from '../../../controllers/runtime/testing.ts';
import { configMap, pod, secret, service } from '../service-fixtures.ts';

const envOf = (vars: { name: string; value: string }[]) => Object.fromEntries(vars.map((v) => [v.name, v.value]));
const kubernetes = service('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] });
const multimap = configMap('multimap', { given: 'Nigel', family: 'Poulton' });

t.test('$(VAR) expansion as Kubernetes does it', async (t) => {
  const vars: Record<string, string> = { A: 'x', B: 'y' };
  const lookup = (n: string) => vars[n];
  t.equal(expandVars('echo First name $(A) last name $(B)', lookup), 'echo First name x last name y');
  t.equal(expandVars('$(MISSING) stays', lookup), '$(MISSING) stays');
  t.equal(expandVars('$$(A) is escaped, $$ too, $A is shell syntax', lookup), '$(A) is escaped, $ too, $A is shell syntax');
  t.equal(expandVars('unclosed $(A', lookup), 'unclosed $(A');
});

t.test('seed 000 envpod: configMapKeyRef values, HOSTNAME, PATH and HOME', async (t) => {
  const p = pod('envpod', {
    spec: {
      containers: [{ name: 'ctr1', image: 'busybox', env: [{ name: 'FIRSTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'given' } } }, { name: 'LASTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'family' } } }] }],
    },
  });
  const env = containerEnv(p, 'ctr1', viewOf([p, multimap]));
  t.same(env.map((v) => v.name), ['PATH', 'HOSTNAME', 'FIRSTNAME', 'LASTNAME', 'HOME']);
  t.match(envOf(env), { HOSTNAME: 'envpod', FIRSTNAME: 'Nigel', LASTNAME: 'Poulton', HOME: '/root' });
  t.same(containerEnv(p, 'nope', viewOf([p])), [], 'unknown container');
});

t.test('secretKeyRef is decoded, fieldRef and resourceFieldRef read the pod, envFrom honours prefixes', async (t) => {
  const p = pod('web', {
    ip: '10.244.1.5',
    node: 'node-1',
    labels: { app: 'web', tier: 'front' },
    spec: {
      serviceAccountName: 'robot',
      containers: [
        {
          name: 'c',
          image: 'x',
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
          envFrom: [{ configMapRef: { name: 'multimap' }, prefix: 'CM_' }, { secretRef: { name: 'creds' } }, { configMapRef: { name: 'absent', optional: true } }],
          env: [
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
            { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'OPTIONAL', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
            { name: 'GREETING', value: 'hi $(POD) in $(NS), $(UNDEFINED)' },
          ],
        },
      ],
    },
  });
  const env = envOf(containerEnv(p, 'c', viewOf([p, multimap, secret('creds', { password: 's3cr3t', user: 'admin' })])));
  t.match(env, {
    CM_given: 'Nigel',
    CM_family: 'Poulton',
    user: 'admin',
    PASSWORD: 's3cr3t',
    POD: 'web',
    NS: 'default',
    TIER: 'front',
    IP: '10.244.1.5',
    NODE: 'node-1',
    SA: 'robot',
    CPU: '1',
    MEM_MI: '128',
    GREETING: 'hi web in default, $(UNDEFINED)',
  });
  t.notOk('OPTIONAL' in env, 'an optional reference that does not resolve is unset');
});

t.test('seed 004: service link variables for the namespace plus the kubernetes service', async (t) => {
  const redis = service('redis-master', { clusterIP: '10.0.0.11', ports: [{ port: 6379, protocol: 'TCP' }] });
  t.same(envOf(serviceLinkVars(redis)), {
    REDIS_MASTER_SERVICE_HOST: '10.0.0.11',
    REDIS_MASTER_SERVICE_PORT: '6379',
    REDIS_MASTER_PORT: 'tcp://10.0.0.11:6379',
    REDIS_MASTER_PORT_6379_TCP: 'tcp://10.0.0.11:6379',
    REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
    REDIS_MASTER_PORT_6379_TCP_ADDR: '10.0.0.11',
  });
  t.same(serviceLinkVars(service('db', { clusterIP: 'None' })), [], 'headless: none');
  const other = service('other', { clusterIP: '10.0.0.12', ports: [{ port: 80 }] }, { ns: 'prod' });
  const p = pod('app', { ns: 'dev' });
  const inDev = service('api', { clusterIP: '10.0.0.13', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { ns: 'dev' });
  const env = envOf(containerEnv(p, 'web', viewOf([p, kubernetes, redis, other, inDev])));
  t.equal(env.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  t.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  t.equal(env.API_SERVICE_PORT_HTTP, '8080');
  t.notOk('REDIS_MASTER_SERVICE_HOST' in env, 'services of other namespaces are not linked');
  t.notOk('OTHER_SERVICE_HOST' in env);
  const noLinks = pod('quiet', { ns: 'dev', spec: { enableServiceLinks: false, containers: [{ name: 'web', image: 'x' }] } });
  const quiet = envOf(containerEnv(noLinks, 'web', viewOf([noLinks, kubernetes, inDev])));
  t.ok('KUBERNETES_SERVICE_HOST' in quiet, 'enableServiceLinks: false keeps the kubernetes service');
  t.notOk('API_SERVICE_HOST' in quiet);
});

t.test('env values expand service variables and earlier entries, in order', async (t) => {
  const p = pod('x', { spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'URL', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)/$(LATER)' }, { name: 'LATER', value: 'v1' }] }] } });
  t.equal(envOf(containerEnv(p, 'c', viewOf([p, kubernetes]))).URL, 'https://10.96.0.1:443/$(LATER)');
});
