import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

// packages/security/corpus/bypass.json: bypass attempts, each with the outcome it must get. `denied` is a 401 or
// 403 from authz (the request was understood and refused); `rejected` is a 4xx for a request that cannot be read
// unambiguously (400, or 413/414/431 for sizes). Either way: never a 2xx, never a 5xx, never the upstream.
//
// Values may hold placeholders, filled per run from the scenario's identities (see render.ts).

const OUTCOMES = ['denied', 'rejected'] as const
export type Outcome = (typeof OUTCOMES)[number]
/** Through nginx a request may also get no answer at all: 444 closes the connection (a host no server serves). */
const NGINX_OUTCOMES = [...OUTCOMES, 'closed'] as const
export type NginxOutcome = (typeof NGINX_OUTCOMES)[number]

export const CLASSES = [
  'path_traversal',
  'encoded_dot_segment',
  'encoded_slash',
  'backslash',
  'double_encoding',
  'overlong_utf8',
  'dot_segment_parameter',
  'dot_suffix_segment',
  'semicolon_parameter',
  'duplicate_slash',
  'case_variation',
  'fragment_or_query_confusion',
  'control_character',
  'request_target_form',
  'method_override',
  'duplicate_authorization',
  'credential_confusion',
  'spoofed_forwarding_header',
  'host_confusion',
] as const

const headerValue = z.union([z.string(), z.array(z.string()).min(2)])

export const corpusEntrySchema = z.strictObject({
  name: z.string().min(3),
  class: z.enum(CLASSES),
  /** The advisory this entry reproduces the shape of, when there is one. */
  cve: z
    .string()
    .regex(/^(CVE-\d{4}-\d{4,}|GHSA(-[a-z0-9]{4}){3})$/)
    .optional(),
  /** Why this is an attack, in a sentence. */
  note: z.string().min(10),
  request: z.strictObject({
    method: z.string().min(1),
    /** The request target as the client sends it (raw; `X-Original-URI` when sent to authz directly). */
    target: z.string().min(1),
    /** Host header (default api.example.com). */
    host: z.string().optional(),
    /** An array sends the header once per value. */
    headers: z.record(z.string(), headerValue).default({}),
  }),
  expectation: z.enum(OUTCOMES),
  /** X-Auth-Reason from authz, when it answers directly. */
  reason: z.string().optional(),
  /** What a client of nginx (shipped protected-api.conf) gets, when it differs from `expectation`. */
  nginx: z.enum(NGINX_OUTCOMES).optional(),
})

const corpusSchema = z.strictObject({
  $comment: z.string(),
  scenario: z.string(),
  entries: z.array(corpusEntrySchema).min(1),
})

export type CorpusEntry = z.infer<typeof corpusEntrySchema>
export type Corpus = z.infer<typeof corpusSchema>

const CORPUS_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../corpus/bypass.json')

export function loadCorpus(path = CORPUS_PATH): Corpus {
  return corpusSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
}

/** Statuses that count as each outcome. */
export const OUTCOME_STATUSES: Readonly<Record<Outcome, readonly number[]>> = {
  denied: [401, 403],
  rejected: [400, 413, 414, 431],
}
