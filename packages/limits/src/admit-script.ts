/**
 * One Lua script = one round trip per decision: replay check, then every rate-limit policy, all-or-nothing.
 *
 * Algorithm (bucketed sliding window, same as sliding-window.ts): per client and policy one hash
 * `<prefix>rl:{clientId}:<policy>` whose fields are bucket indices floor(t / B) and whose values are admit counts.
 * With K = W / B buckets per window and c the current bucket, the script sums buckets c-K .. c (the oldest one is only
 * partly inside the window and is counted in full, so the sum never under-counts and the limit is never exceeded in
 * any interval of length W), admits iff sum < limit for EVERY policy, and only then HINCRBYs the current bucket of
 * every policy (a request refused by the minute limit consumes no day quota). Stale fields are deleted as they are
 * seen and the key's TTL is W + B, so idle clients cost nothing.
 *
 * Time is Redis server time (TIME), one clock for every authz replica; Redis 7 replicates script effects, so a
 * non-deterministic TIME before writes is fine. ARGV[3] > 0 substitutes a caller clock, used by tests only.
 *
 * The nonce, when given, is `SET <prefix>n:{clientId}:<nonce> 1 NX EX ttl` before anything else: if it already
 * existed the request is a replay and consumes no quota. A fresh nonce stays stored even when the request is then
 * rate limited, so a captured request cannot be replayed later when quota is back.
 *
 * KEYS: [nonce key when ARGV[1] > 0] then one hash per policy.
 * ARGV: 1 nonce TTL s (0 = none), 2 mode ('1' admit, '0' peek: read only, no nonce), 3 caller ms (0 = TIME),
 *       then per policy: limit, windowMs, bucketMs.
 * Reply: {status, nowMs, sum_1, resetMs_1, ...}; status 0 replayed, 1 allowed, 2 rate limited, 3 peek.
 * For status 1 the sums include this request; otherwise nothing was counted.
 */
export const ADMIT_LUA = `
local ttl = tonumber(ARGV[1])
local admitting = ARGV[2] == '1'
local now = tonumber(ARGV[3])
if now <= 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local k0 = 0
if ttl > 0 then
  k0 = 1
  if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ttl) then
    return {0, now}
  end
end

-- Walks the hash: drops buckets older than the window (when admitting) and returns the counted sum, the oldest
-- and newest counted bucket indices (nil when none) and whether anything was dropped.
local function walk(key, first)
  local flat = redis.call('HGETALL', key)
  local sum, lo, hi, stale = 0, nil, nil, {}
  for j = 1, #flat, 2 do
    local f = flat[j]
    if f ~= '-1' and f ~= '-2' and f ~= '-3' then
      local idx = tonumber(f)
      if idx == nil or idx < first then
        stale[#stale + 1] = f
      else
        sum = sum + tonumber(flat[j + 1])
        if lo == nil or idx < lo then lo = idx end
        if hi == nil or idx > hi then hi = idx end
      end
    end
  end
  if admitting and #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
  return sum, lo, hi, #stale > 0
end

local n = #KEYS - k0
local limits, windows, sizes, currents, sums, los, his, dirty = {}, {}, {}, {}, {}, {}, {}, {}
local allowed = true
for i = 1, n do
  local key = KEYS[k0 + i]
  local a = 3 + (i - 1) * 3
  local limit, windowMs, bucketMs = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local cur = math.floor(now / bucketMs)
  local first = cur - windowMs / bucketMs
  local m = redis.call('HMGET', key, '-1', '-2', '-3')
  local sum, lo, hi = tonumber(m[1]), tonumber(m[2]), tonumber(m[3])
  if sum == nil or lo == nil or hi == nil or lo < first or hi > cur or lo > hi then
    -- No summary (a new key, or an old replica's), the oldest bucket aged out, or the clock went back: walk.
    local had = m[1] or m[2] or m[3]
    local dropped
    sum, lo, hi, dropped = walk(key, first)
    dirty[i] = dropped or had ~= nil
  end
  if sum >= limit then allowed = false end
  limits[i], windows[i], sizes[i], currents[i], sums[i], los[i], his[i] = limit, windowMs, bucketMs, cur, sum, lo, hi
end

local status = 3
if admitting then
  status = allowed and 1 or 2
  for i = 1, n do
    local key = KEYS[k0 + i]
    if allowed then
      local cur = currents[i]
      -- A bucket's first admit sets the TTL; later admits in the same bucket need no new one: the first already
      -- keeps the key until this bucket (the newest) stops being counted.
      if redis.call('HINCRBY', key, string.format('%d', cur), 1) == 1 then
        redis.call('PEXPIRE', key, windows[i] + sizes[i])
      end
      sums[i] = sums[i] + 1
      if los[i] == nil or cur < los[i] then los[i] = cur end
      if his[i] == nil or cur > his[i] then his[i] = cur end
      redis.call('HSET', key, '-1', sums[i], '-2', string.format('%d', los[i]), '-3', string.format('%d', his[i]))
    elseif dirty[i] then
      -- Refused after a walk: keep the rebuilt summary (or nothing, when no bucket is counted any more).
      if los[i] == nil then
        redis.call('DEL', key)
      else
        redis.call('HSET', key, '-1', sums[i], '-2', string.format('%d', los[i]), '-3', string.format('%d', his[i]))
      end
    end
  end
end

local reply = {status, now}
for i = 1, n do
  -- Time until one more request fits (or, if one fits already, until the next bucket ages out): bucket j stops
  -- being counted at (j + K + 1) * B. With room left that is the oldest counted bucket, read off the summary.
  local need = math.max(1, sums[i] - limits[i] + 1)
  local k = windows[i] / sizes[i]
  local reset = windows[i]
  if los[i] ~= nil then
    if need == 1 then
      reset = (los[i] + k + 1) * sizes[i] - now
    else
      local fields = {}
      for j = los[i], his[i] do fields[#fields + 1] = string.format('%d', j) end
      local counts = redis.call('HMGET', KEYS[k0 + i], unpack(fields))
      local dropped = 0
      for t = 1, #fields do
        local c = tonumber(counts[t])
        if c then
          dropped = dropped + c
          if dropped >= need then
            reset = (los[i] + t - 1 + k + 1) * sizes[i] - now
            break
          end
        end
      end
    end
  end
  reply[#reply + 1] = sums[i]
  reply[#reply + 1] = reset
end
return reply
`
