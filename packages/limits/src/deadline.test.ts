import { Socket } from 'node:net'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisTimeoutError, withDeadline } from './deadline'

// A reply that arrives in time but is read late because the process was busy is not a timeout. The echo server
// runs on a thread of its own (like Redis, it answers while this thread is stuck).

const ECHO = `
const { createServer } = require('node:net')
const { parentPort } = require('node:worker_threads')
const server = createServer((socket) => socket.on('data', (data) => socket.write(data)))
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
`

let worker: Worker
let port = 0

beforeAll(async () => {
  worker = new Worker(ECHO, { eval: true })
  port = await new Promise<number>((resolve) => worker.once('message', resolve))
})

afterAll(async () => {
  await worker.terminate()
})

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // the event loop is stuck here, as it is under a load test
  }
}

/** Sends a line to the echo server; resolves when the echo is read. */
async function echo(): Promise<{ socket: Socket; reply: Promise<string> }> {
  const socket = new Socket()
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve))
  const reply = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())))
  return { socket, reply }
}

describe('withDeadline', () => {
  it('settles with a reply that arrived in time even when the timer fires late', async () => {
    const { socket, reply } = await echo()
    const bounded = withDeadline(reply, 5)
    socket.write('pong')
    busy(50) // the echo arrives within a millisecond but is only read after this, 45 ms past the deadline
    await expect(bounded).resolves.toBe('pong')
    socket.destroy()
  })

  it('times out when nothing arrives', async () => {
    const { socket, reply } = await echo()
    await expect(withDeadline(reply, 20)).rejects.toBeInstanceOf(RedisTimeoutError)
    socket.destroy()
  })

  it('passes a failure through', async () => {
    await expect(withDeadline(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom')
  })
})
