-- Specs of `fupin report annual`, on the sample workspace (the seed document's 2019).

local function annual(args)
  local a = { year = 2019, format = "md" }
  for k, v in pairs(args or {}) do a[k] = v end
  local result = run("annual", a)
  return result, result.text
end

-- Deep equality of two figure values (numbers or group_by tables).
local function same(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

-- The keys of the figures whose value differs between two runs.
local function changed(before, after)
  local keys, seen = {}, {}
  for k, v in pairs(before) do
    seen[k] = true
    if not same(v, after[k]) then keys[#keys + 1] = k end
  end
  for k in pairs(after) do if not seen[k] then keys[#keys + 1] = k end end
  table.sort(keys)
  return keys
end

-- A small checker: every tag closes in order (void tags written as <x/>).
local function well_formed(html)
  local stack = {}
  for slash, name, rest in html:gmatch("<(/?)([%a][%w:-]*)([^>]*)>") do
    if slash == "/" then
      if stack[#stack] ~= name then
        return false, "unexpected </" .. name .. "> after <" .. tostring(stack[#stack]) .. ">"
      end
      stack[#stack] = nil
    elseif rest:sub(-1) ~= "/" then
      stack[#stack + 1] = name
    end
  end
  if #stack > 0 then return false, "unclosed <" .. stack[#stack] .. ">" end
  return true
end



describe("report annual", function()
  it("shows the seed document's own figures", function()
    local _, text = annual()
    expect(text).to_contain("区林业局2019年度精准扶贫工作总结")
    expect(text).to_contain("国家标准贫困户6户")
    expect(text).to_contain("尚有6户国家标准贫困户")
    expect(text).to_contain("给郝九为、杨来才各送去雏鸡30只")
    expect(text).to_contain("给杨来才送去猪仔2头")
    expect(text).to_contain("给刘三（视力差，无法收看电视节目）送去收音机1台")
    expect(text).to_contain("每户30—40株不等")
    expect(text).to_contain("森林植被恢复项目，完成造林10,050亩")
    expect(text).to_contain("增收1.38万元")
    expect(text).to_contain("筹措帮扶资金3.86万元")
    expect(text).to_contain("果树苗211株、饲料玉米5亩、雏鸡60只、猪仔2头、收音机1台")
  end)

  it("computes every number as the direct fp query does", function()
    local result = annual()
    local v = result.figures
    expect(v["material.雏鸡"]).to_be(fp.distributions:where{ year = 2019, item = "雏鸡" }:sum("quantity"))
    expect(v["material.果树苗"]).to_be(fp.distributions:where{ year = 2019, item = "果树苗" }:sum("quantity"))
    expect(v["material.猪仔"]).to_be(fp.distributions:where{ year = 2019, item = "猪仔" }:sum("quantity"))
    expect(v["material.饲料玉米"]).to_be(fp.distributions:where{ year = 2019, item = "饲料玉米" }:sum("quantity"))
    expect(v["funds_in"]).to_be(fp.funds:where{ year = 2019, direction = "in" }:sum("amount"))
    expect(v["funds_out"]).to_be(fp.funds:where{ year = 2019, direction = "out" }:sum("amount"))
    expect(v["households"]).to_be(fp.households:count())
    expect(v["national_households"]).to_be(fp.households:where{ standard = "国家" }:count())
    expect(v["afforestation.森林植被恢复"]).to_be(fp.eco_projects:find{ name = "森林植被恢复", year = 2019 }.completed_area)
    expect(v["ranger_wages"]).to_be(fp.ranger_posts:where{ year = 2019 }:sum("wage"))
    expect(v["visits"]).to_be(fp.visits:where{ year = 2019 }:count())
    expect(v["trainings"]).to_be(fp.trainings:where{ year = 2019 }:count())
    expect(v["training_attendees"]).to_be(fp.training_attendees:count())
    -- and each explained query, run again, gives the number shown
    for _, f in ipairs(result.explain) do
      local again = load("return " .. f.query)()
      expect(same(again, f.value)).to_be(true)
    end
  end)

  it("changes exactly the numbers that depend on an added record", function()
    local before = annual().figures
    fixture.distributions:add{ date = "2019-06-10", household_id = 5, item = "雏鸡", quantity = 10, unit = "只",
                               value = 80 }
    local after, text = annual()
    expect(changed(before, after.figures)).to_equal({
      "distribution_records", "material.雏鸡", "material_value", "material_value.雏鸡", "per_household.雏鸡",
    })
    expect(after.figures["material.雏鸡"]).to_be(70)
    expect(text).to_contain("雏鸡70只")
    expect(text).to_contain("为3户贫困户发放雏鸡，每户10—30只不等")   -- now more than a named gift
  end)

  it("changes exactly the numbers that depend on a corrected record", function()
    local before = annual().figures
    local p = fp.eco_projects:find{ name = "森林植被恢复", year = 2019 }
    fixture.eco_projects:update(p.id, { completed_area = 10000 })
    local after, text = annual()
    expect(changed(before, after.figures)).to_equal({ "afforestation.森林植被恢复", "afforestation_total" })
    expect(text).to_contain("完成造林10,000亩")

    local before2 = after.figures
    local post = fp.ranger_posts:first()
    fixture.ranger_posts:update(post.id, { wage = 15000 })
    local after2, text2 = annual()
    expect(changed(before2, after2.figures)).to_equal({ "ranger_wages" })
    expect(text2).to_contain("增收1.5万元")
  end)

  it("says a ledger has no data instead of inventing a number", function()
    local _, text = annual{ year = 2030 }
    expect(text).to_contain("物资发放台账中没有2030年")
    expect(text).to_contain("生态项目台账中没有2030年")
    expect(text).to_contain("护林员岗位台账中没有2030年")
    expect(text).to_contain("帮扶资金台账中没有2030年")
    expect(text).to_contain("总结条目台账中没有2030年登记的问题")
  end)

  it("guards the ledgers of other plugins", function()
    local _, text = annual()
    if fp.partnerships then
      expect(text).to_contain("企业帮扶项目")
    else
      expect(text).to_contain("企业帮扶台账")
      expect(text).to_contain("暂无数据")
    end
    if not fp.sales then expect(text).to_contain("暂无农副产品销售数据") end
  end)

  it("writes well-formed self-contained HTML with one SVG per chart", function()
    local _, html = annual{ format = "html" }
    local ok, why = well_formed(html)
    expect(why).to_be_nil()
    expect(ok).to_be(true)
    local _, svgs = html:gsub("<svg ", "")
    local _, figures = html:gsub('<figure class="chart">', "")
    expect(svgs).to_be(figures)
    local expected = 3 + ((fp.sales and fp.sales:where{ year = 2019 }:count() > 0) and 1 or 0)
    expect(svgs).to_be(expected)
    expect(html).to_contain("@page { size: A4")
    expect(html:find("<script", 1, true)).to_be_nil()
    expect(html:find("src=", 1, true)).to_be_nil()
    expect(html:find("<link", 1, true)).to_be_nil()
  end)

  it("explains every number with its query", function()
    local result, text = annual{ explain = true }
    expect(text).to_contain("附：数据来源")
    expect(#result.explain > 30).to_be(true)
    for _, f in ipairs(result.explain) do
      expect(f.query:sub(1, 3) == "fp." or f.query:sub(1, 1) == "(").to_be(true)
      expect(text).to_contain(f.query)
    end
  end)

  it("shows a long table value in --explain by its first entries and its count", function()
    local Figures = require("lib.figures")
    local many = {}
    for i = 1, 50 do many[i] = i * 2 end
    many.total = 7
    local shown = Figures.show(many)
    expect(shown).to_contain("{1=2, 2=4, 3=6")
    expect(shown).to_contain("…（共 51 项）}")
    expect(shown:find("9=18", 1, true)).to_be_nil()
    expect(Figures.show({ b = 1, a = 2 })).to_be("{a=2, b=1}")
    -- as text, every line of the appendix stays short and has no trailing spaces
    local _, text = annual{ explain = true, format = "txt" }
    expect(text).to_contain("附：数据来源")
    for line in text:gmatch("[^\n]+") do expect(line:find(" $")).to_be_nil() end
  end)

  it("writes text and a file under exports/", function()
    local _, text = annual{ format = "txt" }
    expect(text).to_contain("一、工作开展情况")
    local _, out = run("annual", { year = 2019, format = "md", output = "spec-annual.md" })
    expect(out).to_contain("wrote ")
  end)

  it("refuses an unknown unit", function()
    expect(function() run("annual", { year = 2019, unit = "没有这个单位" }) end).to_fail("no unit named")
  end)
end)
