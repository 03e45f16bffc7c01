import { spawn } from 'node:child_process'
import { parseWrkOutput, type WrkResult } from './wrk-output'

// One wrk run: `wrk -t<threads> -c<connections> -d<seconds>s --latency` against a loopback URL, with fixed
// headers, optionally the pre-signed-requests script and its data file.

export interface WrkLoad {
  threads: number
  connections: number
  seconds: number
}

export interface WrkRun extends WrkLoad {
  url: string
  headers: Readonly<Record<string, string>>
  /** presigned.lua and the file of pre-signed requests it reads. */
  script?: { path: string; data: string }
}

export function wrkArgs(run: WrkRun): string[] {
  const args = [`-t${run.threads}`, `-c${run.connections}`, `-d${run.seconds}s`, '--latency', '--timeout', '2s']
  for (const [name, value] of Object.entries(run.headers)) args.push('-H', `${name}: ${value}`)
  if (run.script !== undefined) args.push('-s', run.script.path)
  args.push(run.url)
  if (run.script !== undefined) args.push(run.script.data)
  return args
}

export function runWrk(run: WrkRun): Promise<WrkResult & { output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', wrkArgs(run), { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    child.once('error', (err) => reject(new Error(`wrk could not start (apt-get install wrk): ${err.message}`)))
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${output}`))
      try {
        resolve({ ...parseWrkOutput(output), output })
      } catch (err) {
        reject(err)
      }
    })
  })
}
