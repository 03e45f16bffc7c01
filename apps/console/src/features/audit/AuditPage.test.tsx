import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../../test/render-app'

const CLIENT = '00000000-0000-4000-8000-0000000000c1'

describe('AuditPage', () => {
  it('opens with the entity filter of its address (the client page links there)', async () => {
    const { api } = renderApp({ hash: `#/audit?entity_id=${CLIENT}` })
    api.on('GET /api/admin/audit', { status: 200, body: [] })
    api.on('GET /api/admin/admins', { status: 200, body: [] })
    await waitFor(() => expect(api.callsTo('GET /api/admin/audit')).toHaveLength(1))
    expect(api.callsTo('GET /api/admin/audit')[0]?.query.get('entity_id')).toBe(CLIENT)
    expect(screen.getByLabelText<HTMLInputElement>('Entity id').value).toBe(CLIENT)
  })
})
