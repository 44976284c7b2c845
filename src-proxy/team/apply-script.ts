// The one script every write of a gateway goes through. A batch of a gateway's writes runs atomically,
// each write at most once (a write carries its gateway's sequence number; the store keeps the last one
// applied, so a batch resent after a lost answer is not counted twice), and every change is announced
// on the changes channel with the field values it left, in the order the store applied them.

export const APPLY_SCRIPT = `
local prefix = ARGV[1]
local origin = ARGV[2]
local ops = cjson.decode(ARGV[3])
local channel = prefix .. 'changes'
local appliedKey = prefix .. 'applied'
local done = tonumber(redis.call('HGET', appliedKey, origin) or '0')
local last = done
local function announce(msg)
  msg.o = origin
  redis.call('PUBLISH', channel, cjson.encode(msg))
end
for _, op in ipairs(ops) do
  if op.s > done then
    last = op.s
    local k = op.k
    if k == 'acct' then
      local key = prefix .. 'account:' .. op.id
      local exists = redis.call('ZSCORE', prefix .. 'accounts', op.id)
      if op.create then
        redis.call('ZADD', prefix .. 'accounts', op.create, op.id)
        exists = true
      end
      if exists then
        for f, v in pairs(op.set) do redis.call('HSET', key, f, v) end
        for f, n in pairs(op.incr) do redis.call('HINCRBY', key, f, n) end
        for _, f in ipairs(op.del) do redis.call('HDEL', key, f) end
        announce({ k = 'acct', s = op.s, id = op.id, f = redis.call('HGETALL', key) })
      end
    elseif k == 'acct-rm' then
      redis.call('ZREM', prefix .. 'accounts', op.id)
      redis.call('DEL', prefix .. 'account:' .. op.id)
      announce({ k = 'acct-rm', s = op.s, id = op.id })
    elseif k == 'secret' then
      if op.v then redis.call('HSET', prefix .. 'secrets', op.id, op.v) else redis.call('HDEL', prefix .. 'secrets', op.id) end
      announce({ k = 'secret', s = op.s, id = op.id, v = op.v or false })
    elseif k == 'settings' then
      for f, v in pairs(op.set) do redis.call('HSET', prefix .. 'settings', f, v) end
      announce({ k = 'settings', s = op.s, f = redis.call('HGETALL', prefix .. 'settings') })
    elseif k == 'bind' then
      local raw = redis.call('HGET', prefix .. 'sessions', op.sk)
      local map = {}
      if raw then map = cjson.decode(raw) end
      map[op.bk] = op.a
      redis.call('HSET', prefix .. 'sessions', op.sk, cjson.encode(map))
      redis.call('ZADD', prefix .. 'sessions:recent', op.t, op.sk)
      local over = redis.call('ZCARD', prefix .. 'sessions:recent') - op.max
      if over > 0 then
        local gone = redis.call('ZPOPMIN', prefix .. 'sessions:recent', over)
        for i = 1, #gone, 2 do redis.call('HDEL', prefix .. 'sessions', gone[i]) end
      end
      announce({ k = 'bind', s = op.s, sk = op.sk, bk = op.bk, a = op.a })
    elseif k == 'stats' then
      for _, row in ipairs(op.rows) do
        local key = prefix .. 'stats:' .. row[1] .. ':' .. row[2]
        redis.call('HINCRBY', key, row[3], row[4])
        redis.call('PEXPIRE', key, row[5])
        redis.call('ZADD', prefix .. 'stats:' .. row[1], row[2], row[2])
      end
      for bucket, before in pairs(op.prune) do
        redis.call('ZREMRANGEBYSCORE', prefix .. 'stats:' .. bucket, '-inf', '(' .. before)
      end
    elseif k == 'log' then
      redis.call('XADD', prefix .. 'log', 'MAXLEN', '~', op.max, '*', 'e', op.e)
    elseif k == 'log-clear' then
      redis.call('DEL', prefix .. 'log')
      announce({ k = 'log-clear', s = op.s })
    end
  end
end
if last > done then redis.call('HSET', appliedKey, origin, last) end
return last
`;
