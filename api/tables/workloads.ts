// Workload controllers as kube-apiserver prints them (printDeployment, printReplicaSet,
// printReplicationController, printDaemonSet, printStatefulSet, printJob, printCronJob,
// printHorizontalPodAutoscaler, printPodDisruptionBudget, printControllerRevision, printPodTemplate).

import type { KObject } from '../../core/object.ts';
import { ageSince, humanDuration } from '../age.ts';
import {
  AGE, col, containerCells, CONTAINERS, formatLabels, IMAGES, int, list, NAME, SELECTOR, spec, status, str, templateCells, type Json, type Printer,
} from './format.ts';

const age = (o: KObject, now: number) => ageSince(o.metadata.creationTimestamp, now);
const replicas = (o: KObject) => (typeof spec(o).replicas === 'number' ? spec(o).replicas : 1);

export const deployments: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE, CONTAINERS, IMAGES, SELECTOR,
  ],
  print: (o, now) => ({
    cells: [o.metadata.name, `${int(status(o).readyReplicas)}/${replicas(o)}`, int(status(o).updatedReplicas), int(status(o).availableReplicas),
      age(o, now), ...templateCells(spec(o).template, spec(o).selector)],
  }),
};

const replicaColumns = [
  NAME,
  col('Desired', 'integer', 'Replicas is the number of desired pods.'),
  col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  AGE, CONTAINERS, IMAGES, SELECTOR,
];

export const replicasets: Printer = {
  columns: replicaColumns,
  print: (o, now) => ({
    cells: [o.metadata.name, replicas(o), int(status(o).replicas), int(status(o).readyReplicas), age(o, now), ...templateCells(spec(o).template, spec(o).selector)],
  }),
};

/** An RC selector is a plain label map (labels.SelectorFromSet). */
export const replicationcontrollers: Printer = {
  columns: replicaColumns,
  print: (o, now) => ({
    cells: [o.metadata.name, replicas(o), int(status(o).replicas), int(status(o).readyReplicas), age(o, now),
      ...templateCells(spec(o).template, { matchLabels: spec(o).selector ?? {} })],
  }),
};

export const daemonsets: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE, CONTAINERS, IMAGES, SELECTOR,
  ],
  print: (o, now) => {
    const s = status(o);
    return {
      cells: [o.metadata.name, int(s.desiredNumberScheduled), int(s.currentNumberScheduled), int(s.numberReady), int(s.updatedNumberScheduled),
        int(s.numberAvailable), formatLabels(spec(o).template?.spec?.nodeSelector), age(o, now), ...templateCells(spec(o).template, spec(o).selector)],
    };
  },
};

export const statefulsets: Printer = {
  columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  print: (o, now) => ({
    cells: [o.metadata.name, `${int(status(o).readyReplicas)}/${replicas(o)}`, age(o, now), ...templateCells(spec(o).template, undefined).slice(0, 2)],
  }),
};

const hasCondition = (o: KObject, type: string) => list(status(o).conditions).some((c) => c.type === type && c.status === 'True');

function jobStatus(o: KObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** "1/3" with completions; without, "0/1" or "0/1 of 3" for a parallel work queue. */
function completions(o: KObject): string {
  const succeeded = int(status(o).succeeded);
  const want = spec(o).completions;
  if (typeof want === 'number') return `${succeeded}/${want}`;
  const parallelism = int(spec(o).parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KObject, now: number): string {
  const { startTime, completionTime } = status(o);
  if (typeof startTime !== 'string') return '';
  const end = typeof completionTime === 'string' ? Date.parse(completionTime) : now;
  return humanDuration(end - Date.parse(startTime));
}

export const jobs: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The completion status of the job.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE, CONTAINERS, IMAGES, SELECTOR,
  ],
  print: (o, now) => ({
    cells: [o.metadata.name, jobStatus(o), completions(o), jobDuration(o, now), age(o, now), ...templateCells(spec(o).template, spec(o).selector)],
  }),
};

/** printBoolPtr: "True"/"False", "<unset>" when nil. */
const boolPtr = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>');

export const cronjobs: Printer = {
  columns: [
    NAME,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE, CONTAINERS, IMAGES, SELECTOR,
  ],
  print: (o, now) => {
    const jobSpec: Json = spec(o).jobTemplate?.spec ?? {};
    const last = status(o).lastScheduleTime;
    return {
      cells: [o.metadata.name, str(spec(o).schedule), str(spec(o).timeZone) || '<none>', boolPtr(spec(o).suspend), list(status(o).active).length,
        typeof last === 'string' ? ageSince(last, now) : '<none>', age(o, now), ...templateCells(jobSpec.template, jobSpec.selector)],
    };
  },
};

/** One metric of formatHPAMetrics: "cpu: 50%/80%", "cpu: <unknown>/80%", "100m/200m" for pods metrics. */
function hpaMetric(metric: Json, current: Json | undefined): string {
  switch (metric.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = metric.type === 'Resource' ? metric.resource : metric.containerResource;
      const cur = metric.type === 'Resource' ? current?.resource : current?.containerResource;
      const name = str(src?.name);
      if (src?.target?.averageValue !== undefined) return `${name}: ${cur?.current?.averageValue ?? '<unknown>'}/${src.target.averageValue}`;
      const now = typeof cur?.current?.averageUtilization === 'number' ? `${cur.current.averageUtilization}%` : '<unknown>';
      const target = typeof src?.target?.averageUtilization === 'number' ? `${src.target.averageUtilization}%` : '<auto>';
      return `${name}: ${now}/${target}`;
    }
    case 'Pods':
      return `${current?.pods?.current?.averageValue ?? '<unknown>'}/${metric.pods?.target?.averageValue}`;
    case 'Object':
    case 'External': {
      const key = metric.type === 'Object' ? 'object' : 'external';
      const t = metric[key]?.target ?? {};
      const c = current?.[key]?.current ?? {};
      if (t.averageValue !== undefined) return `${c.averageValue ?? '<unknown>'}/${t.averageValue} (avg)`;
      return `${c.value ?? '<unknown>'}/${t.value}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: the first two metrics, then " + N more...". */
function hpaTargets(o: KObject): string {
  const metrics = list(spec(o).metrics);
  if (metrics.length === 0) return '<none>';
  const current = list(status(o).currentMetrics);
  const cells = metrics.map((m, i) => hpaMetric(m, current[i]));
  return cells.length > 2 ? `${cells.slice(0, 2).join(', ')} + ${cells.length - 2} more...` : cells.join(', ');
}

export const horizontalpodautoscalers: Printer = {
  columns: [
    NAME,
    col('Reference', 'string', 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
    col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    AGE,
  ],
  print: (o, now) => {
    const ref = spec(o).scaleTargetRef ?? {};
    const min = spec(o).minReplicas;
    return {
      cells: [o.metadata.name, `${str(ref.kind)}/${str(ref.name)}`, hpaTargets(o), typeof min === 'number' ? String(min) : '<unset>',
        int(spec(o).maxReplicas), int(status(o).currentReplicas), age(o, now)],
    };
  },
};

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

export const poddisruptionbudgets: Printer = {
  columns: [
    NAME,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE,
  ],
  print: (o, now) => ({
    cells: [o.metadata.name, intOrString(spec(o).minAvailable), intOrString(spec(o).maxUnavailable), int(status(o).disruptionsAllowed), age(o, now)],
  }),
};

/** The controller owner as formatResourceName prints it: "statefulset.apps/web". */
function controllerOf(o: KObject): string {
  const ref = list(o.metadata.ownerReferences).find((r) => r.controller);
  if (!ref) return '<none>';
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${(group ? `${str(ref.kind)}.${group}` : str(ref.kind)).toLowerCase()}/${str(ref.name)}`;
}

export const controllerrevisions: Printer = {
  columns: [
    NAME,
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'),
    AGE,
  ],
  print: (o, now) => ({ cells: [o.metadata.name, controllerOf(o), int(o.revision), age(o, now)] }),
};

/** A PodTemplate shows its containers without -o wide, then the template's labels. */
export const podtemplates: Printer = {
  columns: [
    NAME, { ...CONTAINERS, priority: 0 }, { ...IMAGES, priority: 0 },
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  print: (o) => {
    const template: Json = (o.template as Json | undefined) ?? {};
    return { cells: [o.metadata.name, ...containerCells(template.spec), formatLabels(template.metadata?.labels)] };
  },
};
