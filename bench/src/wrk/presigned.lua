-- wrk script: send pre-signed HMAC requests, each exactly once, so every nonce is new to authz.
-- Usage: wrk ... -s presigned.lua <url> <file>, one request per line of <file>:
--   <Authorization value> TAB <Content-Digest value, or nothing>
-- The static headers (X-Original-*) come from wrk's -H options. With -t1 there is one Lua state and one
-- sequence; if the list runs out it wraps, and the replays that follow are refused (counted as non-2xx).

auths, digests, total, sent = {}, {}, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    total = total + 1
    local tab = line:find('\t', 1, true)
    if tab then
      auths[total] = line:sub(1, tab - 1)
      local digest = line:sub(tab + 1)
      if digest ~= '' then digests[total] = digest end
    else
      auths[total] = line
    end
  end
end

function request()
  sent = sent + 1
  local i = (sent - 1) % total + 1
  wrk.headers['Authorization'] = auths[i]
  wrk.headers['Content-Digest'] = digests[i]
  return wrk.format()
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format('presigned: sent %d of %d\n', thread:get('sent'), thread:get('total')))
  end
end
