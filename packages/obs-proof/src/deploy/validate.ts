// Validates rendered objects against the Kubernetes 1.27 OpenAPI schemas shipped by kubernetes-models
// (types, required fields, enums, formats; it does not reject unknown fields, which the cross-checks in
// k8s.int.test.ts cover where they matter).

import { Deployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { Job } from 'kubernetes-models/batch/v1'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1'
import type { K8sObject } from './kustomize'

type Validator = (o: K8sObject) => void

const VALIDATORS: Record<string, Validator> = {
  'apps/v1/Deployment': (o) => new Deployment(o as never).validate(),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o as never).validate(),
  'batch/v1/Job': (o) => new Job(o as never).validate(),
  'networking.k8s.io/v1/Ingress': (o) => new Ingress(o as never).validate(),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never).validate(),
  'v1/ConfigMap': (o) => new ConfigMap(o as never).validate(),
  'v1/Secret': (o) => new Secret(o as never).validate(),
  'v1/Service': (o) => new Service(o as never).validate(),
}

/** Problems found, one line per object; empty when every object is valid. */
export function validateObjects(objects: K8sObject[]): string[] {
  const problems: string[] = []
  for (const o of objects) {
    const validator = VALIDATORS[`${o.apiVersion}/${o.kind}`]
    if (validator === undefined) {
      problems.push(`${o.apiVersion}/${o.kind} ${o.metadata.name}: no schema known to the test`)
      continue
    }
    try {
      validator(o)
    } catch (err) {
      problems.push(`${o.kind} ${o.metadata.name}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return problems
}
