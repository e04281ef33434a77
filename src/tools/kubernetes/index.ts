/** The Kubernetes tool backend: one implementation per operation of openapi/kubernetes.yaml. */
import type { KubernetesProvider } from '../../providers/kubernetes/port.ts';
import type { ToolBackend } from '../invoke.ts';
import { describeResource } from './describe.ts';
import { getDeploymentStatus, getRolloutHistory } from './deployments.ts';
import { getClusterEvents } from './events.ts';
import { getIngressStatus } from './ingresses.ts';
import { getNodeStatus } from './nodes.ts';
import { getPodLogs, getPodStatus } from './pods.ts';
import { scanClusterProblems } from './problems.ts';
import { getResourceUsage } from './resources.ts';
import { getAutoscalerStatus, getServiceStatus } from './services.ts';

export const kubernetesBackend: ToolBackend<KubernetesProvider> = {
  backend: 'kubernetes',
  operations: {
    get_pod_status: getPodStatus,
    get_deployment_status: getDeploymentStatus,
    get_cluster_events: getClusterEvents,
    get_resource_usage: getResourceUsage,
    get_node_status: getNodeStatus,
    scan_cluster_problems: scanClusterProblems,
    describe_resource: describeResource,
    get_pod_logs: getPodLogs,
    get_rollout_history: getRolloutHistory,
    get_service_status: getServiceStatus,
    get_autoscaler_status: getAutoscalerStatus,
    get_ingress_status: getIngressStatus,
  },
};
