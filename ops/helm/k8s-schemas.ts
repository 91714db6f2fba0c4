import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from './helm-launcher';

type Validate = (object: K8sObject) => void;

// Each model's constructor takes its own typed shape; the rendered object is checked by validate(), not by the compiler.
const model =
  <T extends { validate(): void }>(Model: new (data: never) => T): Validate =>
  (object) =>
    new Model(object as never).validate();

/**
 * The OpenAPI (or CRD) schema of every kind the chart renders, by `apiVersion/kind`. A kind missing here
 * is an error, not a pass: a new template must bring its schema along.
 */
const validators: Record<string, Validate> = {
  'apps/v1/Deployment': model(Deployment),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'batch/v1/Job': model(Job),
  'networking.k8s.io/v1/Ingress': model(Ingress),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'v1/ConfigMap': model(ConfigMap),
  'v1/Service': model(Service),
  'v1/ServiceAccount': model(ServiceAccount),
  'keda.sh/v1alpha1/ScaledObject': model(ScaledObject),
  'monitoring.coreos.com/v1/ServiceMonitor': model(ServiceMonitor),
  'monitoring.coreos.com/v1/PrometheusRule': model(PrometheusRule),
};

export class UnknownKindError extends Error {
  constructor(readonly kindKey: string) {
    super(`no schema to validate ${kindKey} against: add its model to ops/helm/k8s-schemas.ts`);
    this.name = 'UnknownKindError';
  }
}

/** Validates one object against its kind's schema; throws with the schema's complaint, or for an unknown kind. */
export const validateObject = (object: K8sObject): void => {
  const key = `${object.apiVersion}/${object.kind}`;
  const validate = validators[key];
  if (!validate) throw new UnknownKindError(key);
  try {
    validate(object);
  } catch (error) {
    throw new Error(`${key} ${object.metadata.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
};
