import { describe } from 'vitest'
import { itCanonicalises, itRefusesAll } from '../test/support/results'
import { canonicalHost } from './canonical-host'

describe('canonicalHost', () => {
  itCanonicalises(canonicalHost, [
    ['api.example.com', 'api.example.com'],
    ['API.Example.COM', 'api.example.com'],
    ['api.example.com:8443', 'api.example.com'],
    ['api.example.com:', 'api.example.com'],
    ['api.example.com.', 'api.example.com'],
    ['api.example.com.:443', 'api.example.com'],
    ['localhost', 'localhost'],
    ['127.0.0.1:7843', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['[2001:DB8::1]:8080', '[2001:db8::1]'],
    ['internal_host', 'internal_host'],
  ])

  itRefusesAll(canonicalHost, 'invalid_host', [
    '',
    '.',
    ':80',
    'a b',
    'a\tb',
    'a,b',
    'user@host',
    'host/path',
    'host?x',
    'host#x',
    'host\\x',
    'h%41st',
    'host:80:80',
    'host:123456',
    'host:http',
    'héllo.example',
    '[::1',
    '[::1]x',
    'a]b',
    '[[::1]]',
  ])
})
