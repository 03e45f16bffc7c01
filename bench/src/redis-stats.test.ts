import { describe, expect, it } from 'vitest'
import { parseScriptMicros } from './redis-stats'

describe('parseScriptMicros', () => {
  it('adds the time of EVALSHA and EVAL, nothing else', () => {
    const info = [
      '# Commandstats',
      'cmdstat_set:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
      'cmdstat_evalsha:calls=1000,usec=30000,usec_per_call=30.00,rejected_calls=0,failed_calls=2',
      'cmdstat_eval:calls=3,usec=210,usec_per_call=70.00,rejected_calls=0,failed_calls=0',
    ].join('\r\n')
    expect(parseScriptMicros(info)).toBe(30210)
    expect(parseScriptMicros('# Commandstats\r\n')).toBe(0)
  })
})
