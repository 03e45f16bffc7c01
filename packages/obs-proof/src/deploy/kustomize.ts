// The part of kustomize infra/k8s uses, so the overlays build without a kustomize binary (none is packaged
// for Debian or npm): resources (files and directories), namespace, images and patches (strategic merge:
// maps merge, lists of named items such as containers merge by name, other lists are replaced).
// k8s.int.test.ts compares the result with `kubectl kustomize` wherever kubectl is installed.

import { readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'

export type K8sObject = {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  [key: string]: unknown
}

interface Kustomization {
  namespace?: string
  resources?: string[]
  images?: Array<{ name: string; newName?: string; newTag?: string }>
  patches?: Array<{ path: string }>
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'])

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isNamedList(v: unknown[]): boolean {
  return v.length > 0 && v.every((item) => isRecord(item) && typeof item.name === 'string')
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isRecord(target) && isRecord(patch)) {
    const out: Record<string, unknown> = { ...target }
    for (const [k, v] of Object.entries(patch)) out[k] = k in target ? strategicMerge(target[k], v) : v
    return out
  }
  if (Array.isArray(target) && Array.isArray(patch) && isNamedList(target) && isNamedList(patch)) {
    const out = target.map((item) => {
      const match = patch.find((p) => (p as { name: string }).name === (item as { name: string }).name)
      return match === undefined ? item : strategicMerge(item, match)
    })
    for (const p of patch) {
      if (!target.some((t) => (t as { name: string }).name === (p as { name: string }).name)) out.push(p)
    }
    return out
  }
  return patch
}

function setImages(value: unknown, images: NonNullable<Kustomization['images']>): unknown {
  if (Array.isArray(value)) return value.map((v) => setImages(v, images))
  if (!isRecord(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'image' && typeof v === 'string') {
      const name = v.replace(/[:@].*$/, '')
      const rule = images.find((i) => i.name === name)
      out[k] = rule === undefined ? v : `${rule.newName ?? name}:${rule.newTag ?? v.split(':')[1] ?? 'latest'}`
    } else {
      out[k] = setImages(v, images)
    }
  }
  return out
}

export function build(dir: string): K8sObject[] {
  const k = readObjects(join(dir, 'kustomization.yaml'))[0] as unknown as Kustomization
  let objects: K8sObject[] = []
  for (const r of k.resources ?? []) {
    const path = resolve(dir, r)
    objects.push(...(statSync(path).isDirectory() ? build(path) : readObjects(path)))
  }
  for (const p of k.patches ?? []) {
    for (const patch of readObjects(resolve(dir, p.path))) {
      const index = objects.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name)
      if (index < 0) throw new Error(`${dirname(p.path)}: patch target ${patch.kind}/${patch.metadata.name} not found`)
      objects[index] = strategicMerge(objects[index], patch) as K8sObject
    }
  }
  if (k.images !== undefined) {
    const images = k.images
    objects = objects.map((o) => setImages(o, images) as K8sObject)
  }
  if (k.namespace !== undefined) {
    const namespace = k.namespace
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } }))
  }
  return objects
}
