// Every controller `rewind serve` can run, one line each; the manager builds them all and keeps the
// ones `--controllers` enables (controllers/manager.ts).

import { deploymentController } from './deployment/index.ts';
import { garbageCollector } from './gc.ts';
import { namespaceController } from './namespace.ts';
import { replicaSetController, replicationControllerController } from './replicaset.ts';
import { resourceQuotaController } from './resourcequota.ts';
import { serviceAccountController } from './serviceaccount.ts';
import { systemServicesController } from './bootstrap.ts';
import { endpointsController } from './endpoints.ts';
import { endpointSliceController } from './endpointslice.ts';
import { serviceLoadBalancerController } from './service-lb.ts';
import { daemonSetController } from './daemonset.ts';
import { jobController } from './job.ts';
import { kubeletController } from './kubelet/index.ts';
import { nodeAgentController } from './nodes/agent.ts';
import { nodeLifecycleController } from './nodes/lifecycle.ts';
import { schedulerController } from './scheduler/index.ts';
import { statefulSetController } from './statefulset.ts';
import { volumeBinderController, volumeReclaimController } from './volume/index.ts';
import { defaultStorageClassController } from './volume/default-class.ts';
import { autoscalerController } from './hpa/index.ts';
import { ingressController } from './ingress/index.ts';
import type { ControllerFactory } from './runtime/types.ts';

export const CONTROLLERS: ControllerFactory[] = [
  deploymentController,
  replicaSetController,
  replicationControllerController,
  garbageCollector,
  namespaceController,
  serviceAccountController,
  endpointsController,
  endpointSliceController,
  serviceLoadBalancerController,
  systemServicesController,
  schedulerController,
  kubeletController,
  nodeAgentController,
  nodeLifecycleController,
  daemonSetController,
  statefulSetController,
  jobController,
  resourceQuotaController,
  volumeBinderController,
  volumeReclaimController,
  defaultStorageClassController,
  autoscalerController,
  ingressController,
];
