import { describe, expect, it } from 'vitest'
import { adoptPathLink, parseHash, safeTarget } from './hash-location'
import { matchScreen } from './routes'

describe('hash routing', () => {
  it('parses paths and queries from the hash', () => {
    const location = parseHash('#/sign-in?next=%2Froutes%2Fabc')
    expect(location.path).toBe('/sign-in')
    expect(location.query.get('next')).toBe('/routes/abc')
    expect(parseHash('').path).toBe('/')
  })

  it('matches screens, including a route id', () => {
    expect(matchScreen('/routes/new')).toEqual({ name: 'route-new' })
    expect(matchScreen('/routes/abc/')).toEqual({ name: 'route-edit', routeId: 'abc' })
    expect(matchScreen('/nope')).toEqual({ name: 'not-found' })
    expect(matchScreen('/clients/c%2F1')).toEqual({ name: 'client', clientId: 'c/1' })
    expect(matchScreen('/changesets/42')).toEqual({ name: 'changeset', changesetId: '42' })
    expect(matchScreen('/changesets')).toEqual({ name: 'changesets' })
    expect(matchScreen('/clients/a/b')).toEqual({ name: 'not-found' })
    expect(matchScreen('/clients/%E0%A4%A')).toEqual({ name: 'not-found' })
  })

  it('returns only to in-app paths after sign-in', () => {
    expect(safeTarget('/clients?x=1')).toBe('/clients?x=1')
    for (const bad of [null, '//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      expect(safeTarget(bad)).toBe('/')
    }
  })

  it('turns a path-style emailed link into the hash route, under any base path', () => {
    window.history.replaceState(null, '', '/console/verify-email?token=abc')
    expect(adoptPathLink()).toBe(true)
    expect(window.location.pathname).toBe('/console/')
    expect(window.location.hash).toBe('#/verify-email?token=abc')

    window.history.replaceState(null, '', '/console/clients')
    expect(adoptPathLink()).toBe(true)
    expect(window.location.hash).toBe('#/clients')
    window.history.replaceState(null, '', '/console/index.html')
    expect(adoptPathLink()).toBe(false)

    window.history.replaceState(null, '', '/console/#/clients')
    expect(adoptPathLink()).toBe(false)
    window.history.replaceState(null, '', '/console/')
    expect(adoptPathLink()).toBe(false)
  })
})
