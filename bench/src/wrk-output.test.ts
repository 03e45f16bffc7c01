import { describe, expect, it } from 'vitest'
import { wrkArgs } from './wrk'
import { parseWrkOutput } from './wrk-output'

const OUTPUT = `Running 10s test @ http://127.0.0.1:40000/authz
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.61ms  512.33us  21.04ms   91.12%
    Req/Sec    31.20k     1.10k   33.48k    72.00%
  Latency Distribution
     50%    1.52ms
     75%  820.00us
     90%    1.98ms
     99%    3.50ms
  310442 requests in 10.00s, 40.26MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  31043.75
Transfer/sec:      4.03MB
presigned: sent 310492 of 452000
`

describe('parseWrkOutput', () => {
  it('reads throughput, percentiles in their units, errors and the pre-signed count', () => {
    expect(parseWrkOutput(OUTPUT)).toEqual({
      requests: 310442,
      rps: 31043.75,
      p50Ms: 1.52,
      p75Ms: 0.82,
      p90Ms: 1.98,
      p99Ms: 3.5,
      non2xx: 7,
      socketErrors: 3,
      presigned: { sent: 310492, total: 452000 },
    })
  })

  it('insists on --latency output', () => {
    expect(() => parseWrkOutput(OUTPUT.replace(/ {5}99%.*\n/, ''))).toThrow(/99% latency/)
  })
})

describe('wrkArgs', () => {
  it('puts the data file of the pre-signed script after the URL', () => {
    const args = wrkArgs({
      threads: 1,
      connections: 50,
      seconds: 10,
      url: 'http://127.0.0.1:1/authz',
      headers: { 'X-Original-URI': '/a' },
      script: { path: '/s.lua', data: '/d.txt' },
    })
    expect(args).toEqual([
      '-t1',
      '-c50',
      '-d10s',
      '--latency',
      '--timeout',
      '2s',
      '-H',
      'X-Original-URI: /a',
      '-s',
      '/s.lua',
      'http://127.0.0.1:1/authz',
      '/d.txt',
    ])
  })
})
