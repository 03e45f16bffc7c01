import { describe, expect, it } from 'vitest'
import { renderDocsPage } from './docs-page'

describe('renderDocsPage', () => {
  it('renders operations and schemas, escaping everything taken from the document', () => {
    const html = renderDocsPage({
      openapi: '3.1.0',
      info: { title: 'T <script>', version: '1' },
      paths: {
        '/api/admin/x/{id}': {
          get: {
            summary: 'Read <b>x</b>',
            parameters: [{ name: 'id', in: 'path', required: true }],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } },
              },
            },
          },
        },
      },
      components: { schemas: { X: { type: 'object', description: '</pre><script>alert(1)</script>' } } },
    })
    expect(html).toContain('id="get-/api/admin/x/{id}"')
    expect(html).toContain('href="#schema-X"')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<b>x</b>')
  })
})
