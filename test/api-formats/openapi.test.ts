// OpenAPI v3: structure, a PATCH operation with fieldValidation per kind, complete schemas, and the
// real `kubectl explain` reading them from a tiny server that serves only these documents.
import t from 'tap';
import Fastify, { type FastifyInstance } from 'fastify';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RESOURCES, groups } from '../../core/registry.ts';
import { legacyDiscovery } from '../fixtures/legacy-discovery.ts';
import { openapiGroupVersion, openapiHash, openapiIndex, unknownFields } from '../../api/openapi.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
const docPath = (group: string, v: string) => (group ? `apis/${group}/${v}` : `api/${v}`);

t.test('the index lists every group-version with its hash', async (t) => {
  const idx = openapiIndex() as { paths: Record<string, { serverRelativeURL: string }> };
  const want = groups().flatMap((g) => g.versions.map((v) => docPath(g.group, v)));
  t.same(Object.keys(idx.paths).sort(), want.sort());
  t.equal(idx.paths['apis/apps/v1'].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${openapiHash('apis/apps/v1')}`);
  t.match(openapiHash('api/v1'), /^[0-9A-F]{128}$/);
  t.equal(openapiGroupVersion('apis/nope/v1'), undefined);
});

t.test('every registered kind: a PATCH op with object GVK and fieldValidation, and a tagged schema', async (t) => {
  for (const r of RESOURCES) {
    for (const v of r.versions) {
      const doc = openapiGroupVersion(docPath(r.group, v)) as Doc;
      t.equal(doc.openapi, '3.0.0');
      const gvk = { group: r.group, version: v, kind: r.kind };
      const ops = Object.values(doc.paths).map((p) => p.patch).filter((op) => op && JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify(gvk));
      if (r.verbs.includes('patch')) {
        t.equal(ops.length, 1, `${r.kind} ${v}: one PATCH op`);
        t.ok(ops[0].parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'), `${r.kind}: fieldValidation`);
      }
      const tagged = Object.values(doc.components.schemas).filter((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: any) => g.kind === r.kind && g.version === v && g.group === r.group));
      t.equal(tagged.length, 1, `${r.kind} ${v}: one schema tagged with its GVK`);
    }
  }
});

t.test('schemas are complete: every $ref resolves; patch metadata on merged lists', async (t) => {
  for (const g of groups()) {
    for (const v of g.versions) {
      const doc = openapiGroupVersion(docPath(g.group, v)) as Doc;
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      const missing = refs.filter((r) => !(r in doc.components.schemas));
      t.same([...new Set(missing)], [], `${docPath(g.group, v)}: all refs resolve`);
    }
  }
  const core = (openapiGroupVersion('api/v1') as Doc).components.schemas;
  const podSpec = core['io.k8s.api.core.v1.PodSpec'];
  t.match(podSpec.properties.containers, { type: 'array', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }] } });
  t.match(core['io.k8s.api.core.v1.Container'].properties.ports, { 'x-kubernetes-patch-merge-key': 'containerPort' });
  t.ok(podSpec.required.includes('containers'));
  t.match(core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.annotations, { type: 'object', additionalProperties: { type: 'string' } });
  t.match(core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.creationTimestamp, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }] });
  t.match(core['io.k8s.api.core.v1.ServicePort'].properties.targetPort, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] });
  t.equal(core['io.k8s.api.core.v1.Container'].description, 'A single application container that you want to run within a pod.');
  t.notMatch(JSON.stringify(core), /Openapi Generator|import \{/i, 'no generator boilerplate in descriptions');
  t.match(core['io.k8s.api.core.v1.Pod'].properties.metadata.description, /^Standard object's metadata\./);
  t.match(core['io.k8s.api.core.v1.Pod'].properties.spec.description, /^Specification of the desired behavior of the Pod\./);
  const apps = (openapiGroupVersion('apis/apps/v1') as Doc).components.schemas;
  t.match(apps['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy, { 'x-kubernetes-patch-strategy': 'retainKeys' });
  t.ok('io.k8s.api.core.v1.PodTemplateSpec' in apps, 'shared definitions keep their core package');
});

t.test('unknownFields names the fields a strict decoder would reject', async (t) => {
  t.same(unknownFields('apps/v1', 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', labels: { any: 'key' } }, spec: { replicas: 1, replica: 2, template: { spec: { containers: [{ name: 'c', image: 'i', imagePullPolcy: 'Always' }] } } } }),
    ['spec.replica', 'spec.template.spec.containers[0].imagePullPolcy']);
  t.same(unknownFields('v1', 'ConfigMap', { data: { a: 'b' }, binaryData: {}, immutable: true }), []);
  t.same(unknownFields('example.com/v1', 'Widget', { whatever: 1 }), []);
});

/** Legacy discovery (enough for kubectl to map "pod" to v1 Pod) and the OpenAPI routes, nothing else. */
function discoveryRoutes(app: FastifyInstance) {
  const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' };
  app.get('/*', async (req, reply) => legacyDiscovery(req.url.split('?')[0]) ?? reply.code(404).send(notFound));
  app.get('/openapi/v3', async () => openapiIndex());
  app.get('/openapi/v3/*', async (req, reply) => {
    const doc = openapiGroupVersion((req.params as { '*': string })['*']);
    return doc ?? reply.code(404).send(notFound);
  });
}

const kubectl = process.env.KUBECTL ?? 'kubectl'; // as test/kubectl/harness.ts

t.test('kubectl explain pod.spec.containers prints the field docs', async (t) => {
  const app = Fastify();
  discoveryRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const cache = mkdtempSync(join(tmpdir(), 'rewind-explain-'));
  t.teardown(async () => {
    await app.close();
    rmSync(cache, { recursive: true, force: true });
  });
  const { port } = app.server.address() as { port: number };
  const run = (...args: string[]) => promisify(execFile)(kubectl, [...args, '--server', `http://127.0.0.1:${port}`, '--cache-dir', cache], { env: { ...process.env, KUBECONFIG: '/dev/null' } });
  const { stdout } = await run('explain', 'pod.spec.containers');
  t.match(stdout, /KIND:\s+Pod/);
  t.match(stdout, /VERSION:\s+v1/);
  t.match(stdout, /FIELD: containers <\[\]Container>/);
  t.match(stdout, /List of containers belonging to the pod/);
  t.match(stdout, /image\s+<string>/);
  t.match(stdout, /ports\s+<\[\]ContainerPort>/);
  const deploy = await run('explain', 'deployment.spec.strategy');
  t.match(deploy.stdout, /GROUP:\s+apps/);
  t.match(deploy.stdout, /rollingUpdate\s+<RollingUpdateDeployment>/);
  const kind = await run('explain', 'deployment');
  t.match(kind.stdout, /DESCRIPTION:\n\s+Deployment enables declarative updates for Pods and ReplicaSets\./);
});
