// Every manifest of the seed tutorials passes admission: the tutorials must play through, so none
// of their objects may be rejected by a rule stricter than Kubernetes'.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { admit } from '../../core/admission.ts';
import type { KObject } from '../../core/object.ts';
import { lookupKind } from '../../core/registry.ts';

const dir = new URL('../kubectl/seed-manifests/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

t.ok(files.length >= 20, 'the seed manifests are there');
for (const file of files) {
  t.test(file, async (t) => {
    const docs = parseAllDocuments(readFileSync(dir + file, 'utf8')).map((d) => d.toJS() as KObject).filter(Boolean);
    for (const obj of docs) {
      const info = lookupKind(obj.apiVersion, obj.kind);
      if (!info) throw new Error(`${file}: no resource for ${obj.apiVersion} ${obj.kind}`);
      // What kubectl and the store add before admission: the namespace of the context, a uid.
      const metadata = { ...obj.metadata, uid: 'seed-uid', ...(info.scope === 'Namespaced' ? { namespace: obj.metadata.namespace ?? 'default' } : {}) };
      t.doesNotThrow(() => admit({ op: 'create', res: info.res, object: { ...obj, metadata } }), `${obj.kind} ${obj.metadata.name}`);
    }
  });
}
