import type { OpenApiDocument } from './document'

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

function json(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2))
}

function refName(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined
  const ref: unknown = Reflect.get(schema, '$ref')
  if (typeof ref === 'string') return ref.split('/').at(-1)
  const items: unknown = Reflect.get(schema, 'items')
  const inner = refName(items)
  return inner === undefined ? undefined : `${inner}[]`
}

function schemaLink(schema: unknown): string {
  const name = refName(schema)
  if (name === undefined) return `<pre>${json(schema)}</pre>`
  const target = name.replace(/\[\]$/, '')
  return `<a href="#schema-${escapeHtml(target)}"><code>${escapeHtml(name)}</code></a>`
}

type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Array<{ $ref?: string; name?: string; in?: string; required?: boolean; description?: string }>
  requestBody?: { $ref?: string; content?: Record<string, { schema?: unknown }> }
  responses?: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema?: unknown }> }>
}

function renderOperation(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name ?? p.$ref ?? '')}</code> (${escapeHtml(p.in ?? '')}${p.required ? ', required' : ''})${p.description ? ` — ${escapeHtml(p.description)}` : ''}</li>`,
    )
    .join('')
  const body = op.requestBody?.content?.['application/json']?.schema
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = r.content?.['application/json']?.schema
      return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description ?? '')}${schema === undefined ? '' : ` ${schemaLink(schema)}`}</li>`
    })
    .join('')
  return `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p class="d">${escapeHtml(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body === undefined ? '' : `<h4>Request body</h4>${schemaLink(body)}`}
<h4>Responses</h4><ul>${responses}</ul></section>`
}

/**
 * `/api/docs`: the OpenAPI document rendered as one static HTML page — no scripts, no CDN, nothing
 * fetched by the browser. The raw document is at /api/openapi.json.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const ops: string[] = []
  const toc: string[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op: Operation | undefined = item?.[method]
      if (op === undefined) continue
      toc.push(
        `<li><a href="#${escapeHtml(`${method}-${path}`)}"><span class="m ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`,
      )
      ops.push(renderOperation(method, path, op))
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3><pre>${json(schema)}</pre></section>`,
    )
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f5f7;padding:.75rem;overflow:auto}
.op{border-top:1px solid #dde;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:700}
.get{color:#1769aa}.post{color:#2e7d32}.put{color:#a15c00}.delete{color:#b3261e}.d{color:#444}ul{padding-left:1.2rem}</style>
</head><body><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Every operation needs <code>Authorization: Bearer &lt;Aegis token&gt;</code> of a console admin. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<h2>Operations</h2><ul>${toc.join('')}</ul>${ops.join('')}<h2>Schemas</h2>${schemas}</body></html>`
}
