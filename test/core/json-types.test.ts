import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import { jsonTypeError } from '../../core/kinds/json-types.ts';
import type { KObject } from '../../core/object.ts';

const pod = (spec: unknown, metadata: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
const container = (fields: Record<string, unknown>) => ({ containers: [{ name: 'c', image: 'x', ...fields }] });
const deploy = (spec: unknown): KObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec });

t.test('Go decoder type errors', async (t) => {
  // [object, error]
  const rows: [KObject, string | undefined][] = [
    [pod(container({ env: [{ name: 'PORT', value: 8080 }] })), 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string'], // env value must be a string
    [pod(container({}), { labels: { version: 1 } }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'], // label value must be a string
    [deploy({ replicas: '3' }), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'], // replicas is an int32
    [deploy({ replicas: 1.5 }), 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'], // not an integer
    [deploy({ replicas: 99999999999 }), 'json: cannot unmarshal number 99999999999 into Go struct field DeploymentSpec.spec.replicas of type int32'], // beyond int32
    [deploy({ replicas: 2147483647 }), undefined], // int32's largest
    [pod('x'), 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec'], // spec must be an object
    [pod({ containers: {} }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container'], // containers must be a list
    [pod(container({ ports: [{ containerPort: '80' }] })), 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'], // port number
    [pod({ ...container({}), hostNetwork: 'yes' }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'], // boolean
    [pod(container({ resources: { limits: { cpu: 1, memory: '1Gi' } } })), undefined], // a quantity may be a number
    [pod(container({ resources: { limits: { cpu: true } } })), 'json: cannot unmarshal bool into Go struct field ResourceRequirements.spec.containers.resources.limits of type string'], // but not a boolean
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }, undefined], // int-or-string
    [pod({ ...container({}), nodeName: null }), undefined], // null is the zero value
    [pod({ ...container({}), madeUpField: 3 }), undefined], // unknown fields are the API's fieldValidation concern
  ];
  for (const [obj, want] of rows) t.equal(jsonTypeError(obj), want, JSON.stringify(obj.spec ?? obj.metadata).slice(0, 70));
});

t.test('admission answers a type error with the decoder 400', async (t) => {
  try {
    admit({ op: 'create', res: 'apps/v1/deployments', object: { ...deploy({ replicas: 'three' }), metadata: { name: 'd', namespace: 'default' } } });
    t.fail('expected BadRequest');
  } catch (e) {
    if (!isStatusError(e)) throw e;
    t.same([e.status.code, e.status.reason, e.status.message], [
      400,
      'BadRequest',
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  }
});
