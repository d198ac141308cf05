-- Specs of the monitoring plugin (防返贫监测) on the sample workspace: 2019, six households
-- still 未脱贫, incomes of 2018 and 2019, the 2019 line 3,747 yuan.
--
-- The expected figures are the seeds' own, worked out by hand, not asked of fp.households:income
-- (which the plugin uses too, so a wrong income or band would move both sides alike). 2019 net
-- income per person: 郝九为 3,950, 杨来才 6,666.67, 张福厚 3,630, 刘三 8,100, 白二小 5,333.33,
-- 高存仁 6,350. The band is 1.5 × 3,747 = 5,620.50: 郝九为, 张福厚 and 白二小 are within it,
-- and only 张福厚 is below the line.
local IN_BAND = { ["郝九为"] = true, ["张福厚"] = true, ["白二小"] = true }

local function by_name(result)
  local t = {}
  for _, f in ipairs(result.households) do t[f.household.head_name] = f end
  return t
end

local function exit_all()
  for h in fp.households:iter() do fp.households:update(h.id, { status = "已脱贫（享受政策）", year_exited = 2019 }) end
end

describe("monitoring scan", function()
  it("reads a household's status as it stood at the end of the scanned year", function()
    -- exited in 2020: still a poor household in 2019, so not a monitoring case then
    for h in fp.households:iter() do fp.households:update(h.id, { status = "已脱贫（享受政策）", year_exited = 2020 }) end
    local result = run("scan", { year = 2019 })
    for _, f in ipairs(result.households) do
      expect(f.status).to_be("未脱贫")
      expect(f.suggested).to_be_nil()
    end
    -- in 2020 the exits count: households within the band are 脱贫不稳定户
    local h = fp.households:find{ head_name = "郝九为" }
    local scan = require("lib.scan")
    expect(scan.status_at(h, 2020)).to_be("已脱贫（享受政策）")
    expect(scan.status_at(h, 2013)).to_be_nil()   -- identified in 2014
  end)

  it("scans only the villages asked for, and skips the cadres when told", function()
    local scan = require("lib.scan")
    fixture.cadres:add{ name = "没走访", unit_id = fp.units:first().id }   -- a cadre without visits
    local whole = scan.run{ year = 2019 }
    local village = fp.households:first().village_id
    local some = scan.run{ year = 2019, villages = { village }, cadres = false }
    local expected = {}
    for _, f in ipairs(whole.households) do
      if f.household.village_id == village then
        expected[#expected + 1] = f.household.id .. ":" .. tostring(f.suggested)
      end
    end
    local got = {}
    for _, f in ipairs(some.households) do got[#got + 1] = f.household.id .. ":" .. tostring(f.suggested) end
    expect(#expected > 0).to_be(true)
    expect(got).to_equal(expected)
    expect(#some.cadres).to_be(0)
    expect(#whole.cadres > 0).to_be(true)
  end)

  it("measures each household against the line and the band", function()
    local result, out = run("scan", { year = 2019 })
    local f = by_name(result)
    expect(f["张福厚"].per_capita).to_be(3630)
    expect(f["张福厚"].line).to_be(3747)
    expect(f["张福厚"].band).to_be(5620.5)
    expect(f["张福厚"].below_line).to_be(true)
    for name, found in pairs(f) do
      expect(found.in_band).to_be(IN_BAND[name] == true)
      expect(found.below_line).to_be(name == "张福厚")
    end
    expect(out).to_contain("人均纯收入低于贫困线")
  end)

  it("suggests nothing for households still helped as poor, and writes nothing without --apply", function()
    local before = fp.monitoring:count()
    local result = run("scan", { year = 2019 })
    for _, f in ipairs(result.households) do expect(f.suggested).to_be_nil() end
    exit_all()
    run("scan", { year = 2019 })
    expect(fp.monitoring:count()).to_be(before)
  end)

  it("suggests 脱贫不稳定户 for exited households in the band and writes them with --apply", function()
    exit_all()
    local result = run("scan", { year = 2019, apply = true })
    expect(result.added).to_be(3)
    local written = {}
    for m in fp.monitoring:where{ year = 2019, risk_type = "脱贫不稳定户" }:iter() do
      written[fp.households:get(m.household_id).head_name] = true
    end
    expect(written).to_equal(IN_BAND)
    local again = run("scan", { year = 2019, apply = true })
    expect(again.added).to_be(0)                                  -- already monitored
  end)

  it("takes the band factor from --band", function()
    exit_all()
    local narrow = run("scan", { year = 2019, band = 1.0 })
    local n = 0
    for _, f in ipairs(narrow.households) do if f.suggested then n = n + 1 end end
    expect(n).to_be(1)                                            -- only 张福厚, below the line itself
    expect(by_name(narrow)["张福厚"].suggested).to_be("脱贫不稳定户")
  end)

  it("flags a sharp fall in income as 突发严重困难户", function()
    exit_all()
    local wage = fp.incomes:find{ household_id = 6, year = 2019, category = "工资性" }
    fp.incomes:update(wage.id, { amount = 1000 })
    local f = by_name(run("scan", { year = 2019 }))["高存仁"]
    expect(f.dropped).to_be(true)
    expect(f.suggested).to_be("突发严重困难户")
    expect(table.concat(f.reasons, ";")).to_contain("比上年下降")
  end)

  it("answers suggestions only as the full scan suggests them, households without income lines left out", function()
    exit_all()
    local wage = fp.incomes:find{ household_id = 6, year = 2019, category = "工资性" }
    fp.incomes:update(wage.id, { amount = 1000 })                  -- 高存仁: a sharp fall
    local hao = fp.households:find{ head_name = "郝九为" }
    for line in fp.incomes:where{ household_id = hao.id, year = 2019 }:iter() do
      fp.incomes:update(line.id, { year = 2017 })                  -- no 2019 income lines now
    end
    local scan = require("lib.scan")
    local function suggested(result)
      local t = {}
      for _, f in ipairs(result.households) do
        if f.suggested then t[f.household.head_name] = f.suggested end
      end
      return t
    end
    local only = scan.run{ year = 2019, suggested_only = true }
    expect(suggested(only)).to_equal({ ["张福厚"] = "脱贫不稳定户", ["白二小"] = "脱贫不稳定户",
                                       ["高存仁"] = "突发严重困难户" })
    expect(#only.households).to_be(3)
    expect(suggested(only)).to_equal(suggested(scan.run{ year = 2019 }))
  end)

  it("answers no suggestions for a year without income lines, the cadres still scanned", function()
    exit_all()
    fixture.cadres:add{ name = "没走访", unit_id = fp.units:first().id }
    local scan = require("lib.scan")
    local full = scan.run{ year = 2020 }                            -- the sample has no 2020 incomes
    expect(#full.households > 0).to_be(true)
    for _, f in ipairs(full.households) do expect(f.suggested).to_be_nil() end
    local only = scan.run{ year = 2020, suggested_only = true }
    expect(#only.households).to_be(0)
    expect(#only.cadres).to_be(#full.cadres)
    expect(#only.cadres > 0).to_be(true)
  end)

  it("finds households without a recent visit and cadres without visits", function()
    local result = run("scan", { year = 2019, days = 100 })
    expect(by_name(result)["张福厚"].no_recent_visit).to_be(true)
    expect(by_name(result)["杨来才"].no_recent_visit).to_be_nil()
    expect(#result.cadres).to_be(0)
    fp.cadres:add{ name = "新干部", unit_id = 1, post = "科员" }
    local _, out = run("scan", { year = 2019 })
    expect(out).to_contain("新干部")
    local relaxed = run("scan", { year = 2019, days = 400 })
    for _, f in ipairs(relaxed.households) do expect(f.no_recent_visit).to_be_nil() end
  end)

  it("refuses a drop share outside 0..1", function()
    expect(function() run("scan", { year = 2019, drop = 30 }) end).to_fail("--drop")
  end)
end)

describe("monitoring list and summary", function()
  it("lists and counts the records written by scan", function()
    exit_all()
    local added = run("scan", { year = 2019, apply = true }).added
    expect(added).to_be(3)
    local listed, out = run("list", { year = 2019 })
    expect(listed.count).to_be(added)
    expect(out).to_contain("脱贫不稳定户")
    local first = fp.monitoring:first()
    fp.monitoring:update(first.id, { removed_date = "2020-06-30" })
    expect(run("list", { year = 2019, open = true }).count).to_be(added - 1)
    local totals, text = run("summary", { year = 2019 })
    expect(totals.total).to_be(added)
    expect(totals.open).to_be(added - 1)
    expect(text).to_contain("风险已消除")
  end)
end)

describe("monitoring status (dated status changes)", function()
  it("reads a year's end by the day a change took effect, not the day it was typed", function()
    local scan = require("lib.scan")
    local h = fp.households:find{ head_name = "郝九为" }
    local _, out = run("status", { household = h.id, to = "已脱贫（享受政策）", date = "2019-11-20", basis = "2019年脱贫验收" })
    expect(out).to_contain("未脱贫 → 已脱贫（享受政策）, effective 2019-11-20")
    local now = fp.households:get(h.id)
    expect(now.status).to_be("已脱贫（享受政策）")
    expect(now.year_exited).to_be(2019)
    expect(scan.status_at(now, 2019)).to_be("已脱贫（享受政策）")
    expect(scan.status_at(now, 2018)).to_be("未脱贫")   -- before the change: the status it left
    -- a relapse in 2021 leaves 2019 and 2020 as they were
    run("status", { household = h.id, to = "返贫", date = "2021-04-02" })
    now = fp.households:get(h.id)
    expect(now.status).to_be("返贫")
    expect(scan.status_at(now, 2020)).to_be("已脱贫（享受政策）")
    expect(scan.status_at(now, 2021)).to_be("返贫")
    -- typed late but dated earlier: the history takes it, the current status stays the latest
    local other = fp.households:find{ head_name = "杨来才" }
    run("status", { household = other.id, to = "返贫", date = "2021-01-10" })
    run("status", { household = other.id, to = "已脱贫（享受政策）", date = "2019-12-15" })
    other = fp.households:get(other.id)
    expect(other.status).to_be("返贫")
    expect(scan.status_at(other, 2019)).to_be("已脱贫（享受政策）")
    expect(scan.status_at(other, 2020)).to_be("已脱贫（享受政策）")
    expect(scan.statuses_at(2019)[other.id]).to_be("已脱贫（享受政策）")
    expect(scan.statuses_at(2019)[fp.households:find{ head_name = "张福厚" }.id]).to_be("未脱贫")
    -- several years in one call: each year's statuses, as asked alone
    local both = scan.statuses_at({ 2019, 2021 })
    expect(both[2019]).to_equal(scan.statuses_at(2019))
    expect(both[2021]).to_equal(scan.statuses_at(2021))
    expect(both[2021][other.id]).to_be("返贫")
    -- the scan reads the same dated statuses
    local f = by_name(run("scan", { year = 2019 }))
    expect(f["郝九为"].status).to_be("已脱贫（享受政策）")
    expect(f["杨来才"].status).to_be("已脱贫（享受政策）")
  end)

  it("refuses a change to the status already in effect that day, writing nothing", function()
    local h = fp.households:find{ head_name = "张福厚" }
    expect(function() run("status", { household = h.id, to = "未脱贫", date = "2019-06-01" }) end)
      .to_fail("already 未脱贫 on 2019-06-01")
    expect(fp.status_changes:count()).to_be(0)
  end)
end)
