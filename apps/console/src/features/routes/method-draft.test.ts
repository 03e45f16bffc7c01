import { routeMethodsSchema } from '@gatekeeper/models'
import { describe, expect, it } from 'vitest'
import { chooseForAll, chooseMethod, describeMethods, type MethodsDraft, toggleMethod } from './method-draft'

describe('method drafts', () => {
  it('enables a method as protected with no type: the shared schema refuses it until a type is chosen', () => {
    const draft = toggleMethod({}, 'PUT', true)
    expect(draft).toEqual({ PUT: { auth_required: true, auth_type: null } })
    const refused = routeMethodsSchema.safeParse(draft)
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.path).toEqual(['PUT', 'auth_type'])

    expect(routeMethodsSchema.safeParse(chooseMethod(draft, 'PUT', 'hmac')).success).toBe(true)
  })

  it('keeps a chosen method when it is toggled on again, and drops it when toggled off', () => {
    const draft: MethodsDraft = chooseMethod({}, 'GET', 'public')
    expect(toggleMethod(draft, 'GET', true)).toEqual(draft)
    expect(toggleMethod(draft, 'GET', false)).toEqual({})
    expect(routeMethodsSchema.safeParse({}).success).toBe(false)
  })

  it('applies one choice to every enabled method, or to all methods when none is enabled', () => {
    const two = chooseForAll(toggleMethod(toggleMethod({}, 'GET', true), 'POST', true), 'api_key')
    expect(Object.keys(two)).toEqual(['GET', 'POST'])
    expect(Object.keys(chooseForAll({}, 'public'))).toHaveLength(7)
    expect(describeMethods(chooseMethod(two, 'POST', 'hmac'))).toBe('GET API key · POST HMAC')
  })
})
