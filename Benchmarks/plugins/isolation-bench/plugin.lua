-- The plugin Benchmarks/isolation.py times: a command that does nothing (the cost of a worker
-- process, spawn to result) and the iteration loop of run.py's iterate benchmark.
return {
  name = "isolation-bench", version = "1.0.0", api = 1, permissions = { "read" },
  limits = { seconds = 600, memory_mb = 512 },
  commands = {
    nothing = { summary = "does nothing", run = function() end },
    iterate = { summary = "every household, summing size", run = function(_, ctx)
      local n, s = 0, 0
      for h in fp.households:iter() do n = n + 1 s = s + (h.size or 0) end
      ctx.print(n .. "\t" .. s)
    end },
  },
}
