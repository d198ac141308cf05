import Foundation
import Testing

/// Bad input everywhere, one table: import files, command arguments and `fp` calls, each run
/// through the real binary against one sample workspace. Every case must fail with a non-zero
/// status and an error on stderr that says where (file, row, column, field, value — the
/// `expect` substrings), must not crash, and must write nothing (the database dump is the same
/// before and after).
///
/// Plugin manifests, ledger declarations and plugin code are in `BadInput.plugins`: each bad
/// plugin is installed through `$FUPIN_PLUGIN_PATH` and its command run, which must fail
/// naming the plugin and what is wrong with it.
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable {
        /// `fupin import COLLECTION FILE [extra]` with `bytes` as FILE.
        case importFile(String, [UInt8], [String])
        /// `fupin ARGS` (`$WS` is the workspace folder, `$DIR` a scratch folder holding `files`).
        case arguments([String], files: [String: [UInt8]])
        /// `fupin eval CODE`.
        case eval(String)
        /// `fupin run FILE.lua` with this text as the script.
        case script(String)
        /// Plugins (name → plugin.lua text) in a folder on `$FUPIN_PLUGIN_PATH`, then `fupin ARGS`.
        case plugins([String: String], [String])
    }
    var name: String
    var kind: Kind
    /// Substrings the error must contain.
    var expect: [String]
    /// Personal data that must not appear unmasked in the output.
    var secret: String?

    var testDescription: String { name }

    // MARK: The table

    static let visitsHeader = "date,cadre_id,household_id,mode,content\n"
    static let distributionsHeader = "date,household_number,item,quantity,unit,value\n"
    static let householdsHeader = "number,head_name,head_id_number,phone,village_id,standard\n"
    static let fundsHeader = "date,unit_id,direction,amount,source,purpose\n"
    static let incomesHeader = "household_id,year,category,amount\n"
    static let membersHeader = "household_id,number,name,id_number,relation\n"

    static func csv(
        _ name: String, _ collection: String, _ header: String, _ rows: String, _ expect: [String],
        extra: [String] = [], secret: String? = nil
    ) -> BadInput {
        BadInput(
            name: "import \(collection): \(name)", kind: .importFile(collection, Array((header + rows).utf8), extra),
            expect: expect, secret: secret)
    }

    static func raw(_ name: String, _ collection: String, _ bytes: [UInt8], _ expect: [String], extra: [String] = [])
        -> BadInput
    {
        BadInput(name: "import \(collection): \(name)", kind: .importFile(collection, bytes, extra), expect: expect)
    }

    static func args(_ name: String, _ arguments: [String], _ expect: [String], files: [String: [UInt8]] = [:])
        -> BadInput
    {
        BadInput(name: "arguments: \(name)", kind: .arguments(arguments, files: files), expect: expect)
    }

    static func fp(_ name: String, _ code: String, _ expect: [String]) -> BadInput {
        BadInput(name: "fp: \(name)", kind: .eval(code), expect: expect)
    }

    /// A valid 18-digit ID number for `birth` (YYYYMMDD), check digit by GB 11643.
    static func idNumber(birth: String, sequence: String = "011") -> String {
        let body = "150602" + birth + sequence
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.compactMap { $0.wholeNumberValue }, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static let tenMB = String(repeating: "长", count: 10 * 1024 * 1024 / 3 + 1)
    static let sqlInjection = "入户'; DROP TABLE visits; --"
    static let luaInjection = "]] os.exit(0) --[["

    static let visits: [BadInput] = [
        csv(
            "impossible date 2019-02-30", "visits", visitsHeader, "2019-02-30,2,1,入户,x\n",
            ["row 2", "date", "2019-02-30", "not a real date"]),
        csv("month 13", "visits", visitsHeader, "2019-13-01,2,1,入户,x\n", ["row 2", "2019-13-01"]),
        csv("day 0", "visits", visitsHeader, "2019-03-00,2,1,入户,x\n", ["row 2", "2019-03-00"]),
        csv("two-digit year", "visits", visitsHeader, "19-03-01,2,1,入户,x\n", ["row 2", "19-03-01"]),
        csv("date is text", "visits", visitsHeader, "yesterday,2,1,入户,x\n", ["row 2", "yesterday"]),
        csv("date with NUL", "visits", visitsHeader, "2019-03-01\u{0},2,1,入户,x\n", ["row 2", "date"]),
        csv("leap day of a common year", "visits", visitsHeader, "2019-02-29,2,1,入户,x\n", ["row 2", "2019-02-29"]),
        csv("missing required date", "visits", visitsHeader, ",2,1,入户,x\n", ["row 2", "date"]),
        csv("unknown household", "visits", visitsHeader, "2019-03-01,2,999,入户,x\n", ["row 2", "household_id", "999"]),
        csv("unknown cadre", "visits", visitsHeader, "2019-03-01,999,1,入户,x\n", ["row 2", "cadre_id", "999"]),
        csv("negative reference", "visits", visitsHeader, "2019-03-01,2,-1,入户,x\n", ["row 2", "household_id", "-1"]),
        csv("zero reference", "visits", visitsHeader, "2019-03-01,2,0,入户,x\n", ["row 2", "household_id"]),
        csv(
            "huge reference", "visits", visitsHeader, "2019-03-01,2,99999999999999999999,入户,x\n",
            ["row 2", "household_id", "99999999999999999999"]),
        csv(
            "fractional reference", "visits", visitsHeader, "2019-03-01,2,1.5,入户,x\n", ["row 2", "household_id", "1.5"]),
        csv("reference is text", "visits", visitsHeader, "2019-03-01,2,abc,入户,x\n", ["row 2", "household_id", "abc"]),
        csv("mode outside the vocabulary", "visits", visitsHeader, "2019-03-01,2,1,视频,x\n", ["row 2", "mode", "视频"]),
        csv(
            "SQL injection in a vocabulary field", "visits", visitsHeader, "2019-03-01,2,1,\(sqlInjection),x\n",
            ["row 2", "mode", "DROP TABLE"]),
        csv(
            "Lua injection in a vocabulary field", "visits", visitsHeader, "2019-03-01,2,1,\(luaInjection),x\n",
            ["row 2", "mode", "os.exit"]),
        csv("NUL byte in text", "visits", visitsHeader, "2019-03-01,2,1,入户,a\u{0}b\n", ["row 2", "content", "NUL"]),
        csv(
            "10 MB field", "visits", visitsHeader, "2019-03-01,2,1,入户,\(tenMB)\n",
            ["row 2", "content", "bytes long", "at most"]),
        csv("truncated row", "visits", visitsHeader, "2019-03-01,2\n", ["row 2", "has 2 fields", "header has 5"]),
        csv("row cut mid-field at end of file", "visits", visitsHeader, "2019-03-01,2,1,入", ["row 2"]),
        csv("extra fields", "visits", visitsHeader, "2019-03-01,2,1,入户,x,y,z\n", ["row 2", "7 fields"]),
        csv("unclosed quote", "visits", visitsHeader, "2019-03-01,2,1,入户,\"x\n", ["row 2", "never closed"]),
        csv("text after a closing quote", "visits", visitsHeader, "2019-03-01,2,1,入户,\"x\"y\n", ["row 2"]),
        csv(
            "bad row after good rows", "visits", visitsHeader,
            "2019-03-01,2,1,入户,ok\n2019-03-02,2,1,入户,ok\n2019-02-30,2,1,入户,bad\n",
            ["row 4", "2019-02-30"]),
        csv(
            "unknown column", "visits", "date,cadre_id,household_id,mode,content,colour\n", "2019-03-01,2,1,入户,x,red\n",
            ["colour"]),
        csv(
            "duplicate column", "visits", "date,date,cadre_id,household_id,mode\n", "2019-03-01,2019-03-01,2,1,入户\n",
            ["date"]),
        csv(
            "SQL injection in the header", "visits",
            "date,cadre_id,household_id,mode,\"content) VALUES (1); DROP TABLE visits; --\"\n",
            "2019-03-01,2,1,入户,x\n", ["DROP TABLE"]),
        csv("missing required column", "visits", "cadre_id,household_id,mode\n", "2,1,入户\n", ["date"]),
        csv("empty header name", "visits", "date,,household_id,mode\n", "2019-03-01,2,1,入户\n", ["column"]),
    ]

    static let encodings: [BadInput] = {
        let header = Array(visitsHeader.utf8)
        let row = Array("2019-03-01,2,1,入户,走访\n".utf8)
        // 入户 in GB18030
        let gbRow: [UInt8] = Array("2019-03-01,2,1,".utf8) + [0xC8, 0xEB, 0xBB, 0xA7] + Array(",x\n".utf8)
        return [
            raw(
                "invalid UTF-8 named as UTF-8", "visits",
                header + Array("2019-03-01,2,1,入户,".utf8) + [0xFF, 0xFE, 0x0A],
                ["row 2", "not valid UTF-8"], extra: ["--encoding", "utf-8"]),
            raw(
                "overlong UTF-8", "visits", header + Array("2019-03-01,2,1,入户,".utf8) + [0xC0, 0xAF, 0x0A],
                ["row 2", "C0 AF", "not valid UTF-8"]),
            raw(
                "UTF-8 surrogate", "visits", header + Array("2019-03-01,2,1,入户,".utf8) + [0xED, 0xA0, 0x80, 0x0A],
                ["not valid"]),
            raw(
                "UTF-8 cut inside a character", "visits", header + Array("2019-03-01,2,1,入户,".utf8) + [0xE5, 0x85],
                ["row 2", "not valid UTF-8", "--encoding gb18030"]),
            raw(
                "UTF-8 then broken bytes", "visits", header + row + Array("2019-03-01,2,1,入户,".utf8) + [0xFF, 0x0A],
                ["line 3", "FF", "not valid UTF-8"]),
            raw(
                "neither UTF-8 nor GB18030", "visits", header + Array("2019-03-01,2,1,ab,".utf8) + [0xFF, 0x0A],
                ["neither UTF-8", "line 2", "nor GB18030"]),
            raw(
                "UTF-8 text named as GB18030", "visits", header + row, ["row 2", "column mode"],
                extra: ["--encoding", "gb18030"]),
            raw(
                "GB18030 text named as UTF-8", "visits", header + gbRow, ["row 2", "not valid UTF-8"],
                extra: ["--encoding", "utf-8"]),
            raw(
                "invalid GB18030 sequence", "visits",
                header + Array("2019-03-01,2,1,".utf8) + [0x81, 0x20] + Array(",x\n".utf8),
                ["not valid GB18030"], extra: ["--encoding", "gb18030"]),
            raw(
                "UTF-16 with BOM", "visits", [0xFF, 0xFE] + Array(visitsHeader.utf8).flatMap { [$0, 0] }, ["not valid"]),
            raw(
                "binary (PNG header)", "visits",
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], ["fupin"]),
            raw("empty file", "visits", [], ["row 1", "empty", "no header row"]),
            raw("a BOM only", "visits", [0xEF, 0xBB, 0xBF], ["empty", "no header row"]),
            raw("NUL bytes only", "visits", [0, 0, 0, 0, 0x0A, 0, 0x0A], ["fupin"]),
        ]
    }()

    static let distributions: [BadInput] = [
        csv(
            "negative quantity", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,-5,只,8.00\n",
            ["row 2", "quantity", "-5"]),
        csv(
            "quantity 1e400", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,1e400,只,8.00\n",
            ["row 2", "quantity", "1e400"]),
        csv(
            "quantity NaN", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,nan,只,8.00\n",
            ["row 2", "quantity"]),
        csv(
            "quantity inf", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,inf,只,8.00\n",
            ["row 2", "quantity"]),
        csv(
            "quantity is text", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,三十,只,8.00\n",
            ["row 2", "quantity", "三十"]),
        csv(
            "huge money", "distributions", distributionsHeader,
            "2019-06-01,1506020010101,雏鸡,1,只,99999999999999999999\n", ["row 2", "value"]),
        csv(
            "negative money", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,1,只,-8.00\n",
            ["row 2", "value", "-8.00"]),
        csv(
            "money below a fen", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,1,只,1.005\n",
            ["row 2", "value", "1.005"]),
        csv(
            "money with a unit", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,1,只,8元\n",
            ["row 2", "value", "8元"]),
        csv(
            "money in exponent form", "distributions", distributionsHeader, "2019-06-01,1506020010101,雏鸡,1,只,1e30\n",
            ["row 2", "value"]),
        csv(
            "unknown household number", "distributions", distributionsHeader, "2019-06-01,1506020019999,雏鸡,1,只,8.00\n",
            ["row 2", "1506020019999"]),
        csv(
            "SQL injection as household number", "distributions", distributionsHeader,
            "2019-06-01,1' OR '1'='1,雏鸡,1,只,8.00\n", ["row 2", "1' OR '1'='1"]),
        csv(
            "missing item", "distributions", distributionsHeader, "2019-06-01,1506020010101,,1,只,8.00\n",
            ["row 2", "item"]),
        csv(
            "2019-02-30", "distributions", distributionsHeader, "2019-02-30,1506020010101,雏鸡,1,只,8.00\n",
            ["row 2", "2019-02-30"]),
    ]

    static let households: [BadInput] = [
        csv(
            "ID check digit", "households", householdsHeader, "1506020019999,王五,152701198001011235,13800000101,1,国家\n",
            ["row 2", "head_id_number", "check digit"], secret: "152701198001011235"),
        csv(
            "ID too short", "households", householdsHeader, "1506020019999,王五,15270119800101,13800000101,1,国家\n",
            ["row 2", "head_id_number"],
            secret: "15270119800101"),
        csv(
            "ID with letters", "households", householdsHeader, "1506020019999,王五,15270119800101123A,13800000101,1,国家\n",
            ["row 2", "head_id_number"],
            secret: "15270119800101123A"),
        csv(
            "ID born 1980-02-30", "households", householdsHeader,
            "1506020019999,王五,\(idNumber(birth: "19800230")),13800000101,1,国家\n",
            ["row 2", "head_id_number"], secret: idNumber(birth: "19800230")),
        csv(
            "ID born in the future", "households", householdsHeader,
            "1506020019999,王五,\(idNumber(birth: "21000101")),13800000101,1,国家\n",
            ["row 2", "head_id_number"], secret: idNumber(birth: "21000101")),
        csv(
            "phone too short", "households", householdsHeader, "1506020019999,王五,150602195603120118,123,1,国家\n",
            ["row 2", "phone"]),
        csv(
            "phone with injection", "households", householdsHeader,
            "1506020019999,王五,150602195603120118,1380000'--,1,国家\n", ["row 2", "phone"]),
        csv(
            "unknown village", "households", householdsHeader,
            "1506020019999,王五,150602195603120118,13800000101,999,国家\n", ["row 2", "village_id", "999"]),
        csv(
            "standard injection", "households", householdsHeader,
            "1506020019999,王五,150602195603120118,13800000101,1,国家'; DROP TABLE households;--\n",
            ["row 2", "standard"]),
        csv(
            "missing household number", "households", householdsHeader, ",王五,150602195603120118,13800000101,1,国家\n",
            ["row 2", "number"]),
        csv(
            "same new number twice", "households", householdsHeader,
            "1506020019999,王五,\(idNumber(birth: "19800101")),13800000101,1,国家\n1506020019999,王六,\(idNumber(birth: "19800102")),13800000102,1,国家\n",
            ["1506020019999"]),
        csv(
            "missing head name", "households", householdsHeader, "1506020019999,,150602195603120118,13800000101,1,国家\n",
            ["row 2", "head_name"]),
    ]

    static let others: [BadInput] = [
        csv("negative fund amount", "funds", fundsHeader, "2019-03-05,1,in,-1,单位自筹,x\n", ["row 2", "amount", "-1"]),
        csv(
            "fund amount 1e20", "funds", fundsHeader, "2019-03-05,1,in,100000000000000000000,单位自筹,x\n",
            ["row 2", "amount"]),
        csv(
            "fund direction", "funds", fundsHeader, "2019-03-05,1,sideways,1,单位自筹,x\n",
            ["row 2", "direction", "sideways"]),
        csv("fund unit 0", "funds", fundsHeader, "2019-03-05,0,in,1,单位自筹,x\n", ["row 2", "unit_id"]),
        csv("income year 1800", "incomes", incomesHeader, "1,1800,生产经营性,100\n", ["row 2", "year", "1800"]),
        csv("income year huge", "incomes", incomesHeader, "1,99999999999,生产经营性,100\n", ["row 2", "year"]),
        csv("income category", "incomes", incomesHeader, "1,2019,彩票,100\n", ["row 2", "category", "彩票"]),
        csv("income amount text", "incomes", incomesHeader, "1,2019,生产经营性,很多\n", ["row 2", "amount", "很多"]),
        csv("poverty line amount text", "poverty_lines", "year,amount\n", "2030,abc\n", ["row 2", "amount", "abc"]),
        csv(
            "member ID check digit", "members", membersHeader, "1,150602001010199,李四,150602195603120119,配偶\n",
            ["row 2", "id_number", "check digit"],
            secret: "150602195603120119"),
        csv(
            "member relation", "members", membersHeader,
            "1,150602001010199,李四,\(idNumber(birth: "19600101", sequence: "022")),外星人\n",
            ["row 2", "relation", "外星人"]),
        csv(
            "member of an unknown household", "members", membersHeader,
            "999,150602001010199,李四,\(idNumber(birth: "19600101", sequence: "022")),配偶\n",
            ["row 2", "household_id", "999"]),
    ]

    static let national: [BadInput] = {
        let header =
            "县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,证件号码,人数,与户主关系,民族,文化程度,在校生状况,健康状况,劳动技能,务工状况,务工时间（月）,参加大病医疗,脱贫属性,贫困户属性,主要致贫原因,危房户,饮水安全,饮水困难,人均纯收入,联系电话\n"
        func row(id: String, relation: String = "户主", months: String = "0", income: String = "5000") -> String {
            "东胜区,城郊镇,东梁村,东梁,1506020019901,150602001990101,王五,\(id),1,\(relation),汉族,小学,非在校生,健康,普通劳动力,未务工,\(months),是,未脱贫,一般贫困户,因病,否,是,否,\(income),13800009901\n"
        }
        let good = idNumber(birth: "19700101")
        return [
            csv("too few columns", "national", "县(市、区、旗),乡(镇),行政村\n", "东胜区,城郊镇,东梁村\n", ["column"]),
            csv(
                "ID check digit", "national", header, row(id: "152701198001011235"), ["row 2", "check digit"],
                secret: "152701198001011235"),
            csv("truncated row", "national", header, "东胜区,城郊镇,东梁村,东梁,1506020019901\n", ["row 2"]),
            csv(
                "relation outside the vocabulary", "national", header, row(id: good, relation: "邻居"),
                ["row 2", "与户主关系"]),
            csv("negative months", "national", header, row(id: good, months: "-3"), ["row 2", "-3"]),
            csv("income not a number", "national", header, row(id: good, income: "五千"), ["row 2", "五千"]),
            csv("household without a head", "national", header, row(id: good, relation: "配偶"), ["1506020019901"]),
        ]
    }()

    static let arguments: [BadInput] = [
        args(
            "import into an unknown collection", ["import", "nope", "$DIR/x.csv", "--workspace", "$WS"],
            ["nope", "not a collection"],
            files: ["x.csv": Array("a\n1\n".utf8)]),
        args(
            "import a missing file", ["import", "visits", "$DIR/missing.csv", "--workspace", "$WS"],
            ["missing.csv", "no such file"]),
        args(
            "import with an unknown encoding",
            ["import", "visits", "$DIR/x.csv", "--encoding", "latin1", "--workspace", "$WS"],
            ["--encoding", "latin1"], files: ["x.csv": Array("a\n1\n".utf8)]),
        args(
            "import --max-errors 0", ["import", "visits", "$DIR/x.csv", "--max-errors", "0", "--workspace", "$WS"],
            ["--max-errors"],
            files: ["x.csv": Array("a\n1\n".utf8)]),
        args(
            "import --max-errors -1", ["import", "visits", "$DIR/x.csv", "--max-errors", "-1", "--workspace", "$WS"],
            ["max-errors"],
            files: ["x.csv": Array("a\n1\n".utf8)]),
        args(
            "import --max-errors huge",
            ["import", "visits", "$DIR/x.csv", "--max-errors", "99999999999999999999999", "--workspace", "$WS"],
            ["max-errors"], files: ["x.csv": Array("a\n1\n".utf8)]),
        args("import a folder", ["import", "visits", "$DIR", "--workspace", "$WS"], ["fupin"]),
        args(
            "import into a folder without a workspace", ["import", "visits", "$DIR/x.csv", "--workspace", "$DIR"],
            ["no workspace"],
            files: ["x.csv": Array("a\n1\n".utf8)]),
        args("export an unknown collection", ["export", "nope", "--workspace", "$WS"], ["nope"]),
        args(
            "export --format xml", ["export", "households", "--format", "xml", "--workspace", "$WS"],
            ["--format", "xml"]),
        args(
            "export --where on an unknown field",
            ["export", "households", "--where", "colour=red", "--workspace", "$WS"], ["colour"]),
        args(
            "export --where SQL injection",
            ["export", "households", "--where", "1=1; DROP TABLE households", "--workspace", "$WS"], ["--where"]),
        args(
            "export --where without =", ["export", "households", "--where", "standard", "--workspace", "$WS"],
            ["--where"]),
        args(
            "export to a folder that does not exist",
            ["export", "households", "-o", "$DIR/no/such/h.csv", "--workspace", "$WS"], ["h.csv"]),
        args("run a missing script", ["run", "$DIR/missing.lua", "--workspace", "$WS"], ["missing.lua"]),
        args(
            "run a script with a syntax error", ["run", "$DIR/bad.lua", "--workspace", "$WS"],
            ["bad.lua:2", "expected"],
            files: ["bad.lua": Array("fp.notes:add{ year = 2019 \n".utf8)]),
        args(
            "run a binary chunk", ["run", "$DIR/bin.lua", "--workspace", "$WS"], ["bin.lua"],
            files: ["bin.lua": [0x1B, 0x4C, 0x75, 0x61, 0x54, 0x00]]),
        args(
            "run a script with invalid UTF-8", ["run", "$DIR/u.lua", "--workspace", "$WS"], ["u.lua"],
            files: ["u.lua": [0x72, 0x65, 0xFF, 0xFE, 0x0A]]),
        args("--operator empty", ["eval", "1", "--operator", "", "--workspace", "$WS"], ["--operator"]),
        args("--workspace empty", ["export", "households", "--workspace", ""], ["--workspace"]),
        args(
            "--workspace missing", ["export", "households", "--workspace", "$DIR/nowhere"], ["nowhere", "no workspace"]),
        args("init over a workspace", ["init", "$WS"], ["already exists"]),
        args(
            "backup over an existing file", ["backup", "$DIR/x.csv", "--workspace", "$WS"],
            ["x.csv", "already exists"],
            files: ["x.csv": Array("a\n".utf8)]),
        args(
            "backup into a missing folder", ["backup", "$DIR/no/such/b.sqlite", "--workspace", "$WS"],
            ["backup: ", "b.sqlite"]),
        args(
            "restore a missing file", ["restore", "$DIR/missing.sqlite", "--workspace", "$WS"],
            ["missing.sqlite", "no such file"]),
        args(
            "restore a text file", ["restore", "$DIR/t.sqlite", "--workspace", "$WS"],
            ["t.sqlite", "nothing was changed"],
            files: ["t.sqlite": Array("this is not a database\n".utf8)]),
        args(
            "restore an empty file", ["restore", "$DIR/e.sqlite", "--workspace", "$WS"], ["e.sqlite", "empty"],
            files: ["e.sqlite": []]),
        args(
            "restore a random 64 KiB", ["restore", "$DIR/r.sqlite", "--workspace", "$WS"],
            ["r.sqlite", "nothing was changed"],
            files: ["r.sqlite": (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }]),
        args("eval without code", ["eval", "--workspace", "$WS"], ["code"]),
    ]

    static let fpCalls: [BadInput] = [
        fp(
            "add with 2019-02-30",
            "fp.visits:add{ date = \"2019-02-30\", cadre_id = 2, household_id = 1, mode = \"入户\" }",
            ["visits.date", "2019-02-30", "not a real date"]),
        fp(
            "add with a bad check digit",
            "fp.households:add{ number = \"1506020019999\", head_name = \"王\", head_id_number = \"152701198001011235\", village_id = 1, standard = \"国家\" }",
            ["households.head_id_number", "check digit"]),
        fp(
            "negative quantity",
            "fp.distributions:add{ date = \"2019-06-01\", household_id = 1, item = \"雏鸡\", quantity = -5, unit = \"只\" }",
            ["distributions.quantity", "-5"]),
        fp(
            "infinite quantity",
            "fp.distributions:add{ date = \"2019-06-01\", household_id = 1, item = \"雏鸡\", quantity = math.huge, unit = \"只\" }",
            ["distributions.quantity"]),
        fp(
            "NaN quantity",
            "fp.distributions:add{ date = \"2019-06-01\", household_id = 1, item = \"雏鸡\", quantity = 0/0, unit = \"只\" }",
            ["distributions.quantity"]),
        fp(
            "money 1e300",
            "fp.funds:add{ date = \"2019-03-05\", unit_id = 1, direction = \"in\", amount = 1e300, source = \"单位自筹\" }",
            ["funds.amount"]),
        fp(
            "money below a fen",
            "fp.funds:add{ date = \"2019-03-05\", unit_id = 1, direction = \"in\", amount = 1.005, source = \"单位自筹\" }",
            ["funds.amount", "1.005"]),
        fp(
            "money maxinteger",
            "fp.funds:add{ date = \"2019-03-05\", unit_id = 1, direction = \"in\", amount = math.maxinteger, source = \"单位自筹\" }",
            ["funds.amount"]),
        fp(
            "money mininteger",
            "fp.funds:add{ date = \"2019-03-05\", unit_id = 1, direction = \"in\", amount = math.mininteger, source = \"单位自筹\" }",
            ["funds.amount"]),
        fp(
            "unknown reference",
            "fp.visits:add{ date = \"2019-03-01\", cadre_id = 2, household_id = 999, mode = \"入户\" }",
            ["visits.household_id", "999"]),
        fp(
            "reference as a table",
            "fp.visits:add{ date = \"2019-03-01\", cadre_id = 2, household_id = {}, mode = \"入户\" }",
            ["visits.household_id", "table"]),
        fp(
            "SQL injection in a vocabulary",
            "fp.visits:add{ date = \"2019-03-01\", cadre_id = 2, household_id = 1, mode = \"\(sqlInjection)\" }",
            ["visits.mode"]),
        fp(
            "NUL in text", "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"a\\0b\" }",
            ["notes.text", "NUL"]),
        fp(
            "10 MB text",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = string.rep(\"x\", 10 * 1024 * 1024) }",
            ["notes.text", "bytes long"]),
        fp(
            "invalid UTF-8 text", "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"\\xff\\xfe\" }",
            ["notes.text", "UTF-8"]),
        fp(
            "fractional year", "fp.notes:add{ year = 2019.5, unit_id = 1, kind = \"problem\", text = \"x\" }",
            ["notes.year", "2019.5"]),
        fp(
            "year with injection",
            "fp.notes:add{ year = \"2019; DROP TABLE notes\", unit_id = 1, kind = \"problem\", text = \"x\" }",
            ["notes.year"]),
        fp(
            "unknown field",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"x\", colour = \"red\" }",
            ["notes", "colour"]),
        fp(
            "injection as a field name",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", [\"text) VALUES ('x'); --\"] = 1 }", ["notes"]),
        fp(
            "non-string field name",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"x\", [1] = 2 }",
            ["notes", "field names must be strings"]),
        fp("update a missing record", "fp.households:update(999, { phone = \"13800000999\" })", ["households", "999"]),
        fp("update with a bad phone", "fp.households:update(1, { phone = \"abc\" })", ["households.phone", "abc"]),
        fp(
            "update with a bad ID", "fp.households:update(1, { head_id_number = \"152701198001011235\" })",
            ["households.head_id_number", "check digit"]),
        fp("remove a missing record", "fp.households:remove(999)", ["households", "999"]),
        fp(
            "get with injection", "fp.households:get(\"1; DROP TABLE households\")",
            ["households:get", "integer record id", "got string"]),
        fp(
            "filter on an injected field name", "fp.households:where{ [\"standard = '国家' OR 1\"] = 1 }:count()",
            ["households has no field"]),
        fp(
            "filter with an unknown operator", "fp.households:where{ standard = { \"regexp\", \"x\" } }:count()",
            ["regexp"]),
        fp(
            "filter in with a non-table", "fp.households:where{ standard = { \"in\", \"x\" } }:count()",
            ["households.standard"]),
        fp(
            "filter between with one bound", "fp.households:where{ id = { \"between\", 1 } }:count()", ["households.id"]
        ),
        fp("order by an injected name", "fp.households:order_by(\"id; DROP TABLE households\"):list()", ["households"]),
        fp("sum of an injected name", "fp.households:sum(\"head_name); DROP TABLE x; --\")", ["households"]),
        fp("fp.sql that writes", "fp.sql(\"DELETE FROM notes\")", ["fp.sql", "read-only"]),
        fp("fp.sql with two statements", "fp.sql(\"SELECT 1; DELETE FROM notes\")", ["fp.sql"]),
        fp(
            "fp.sql that attaches", "fp.sql(\"ATTACH DATABASE '/tmp/fupin-attack.sqlite' AS x\")", ["fp.sql", "ATTACH"]),
        fp(
            "fp.sql that commits half a unit",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"half\" }; fp.sql(\"/* x */ COMMIT\"); error(\"after\")",
            ["fp.sql", "COMMIT"]),
        fp("fp.sql that begins", "fp.sql(\"-- c\\n BEGIN\")", ["fp.sql", "BEGIN"]),
        fp("fp.sql that sets a pragma", "fp.sql(\"PRAGMA foreign_keys = OFF\")", ["fp.sql", "read-only"]),
        fp("fp.sql with bad SQL", "fp.sql(\"SELEC 1\")", ["fp.sql"]),
        fp("an unknown collection", "fp.nosuch:count()", ["nosuch"]),
        fp(
            "good writes then an error",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"kept?\" }; error(\"boom\")", ["boom"]),
        fp(
            "error inside fp.transaction",
            "fp.transaction(function() fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"x\" }; error(\"inner\") end)",
            ["inner"]),
        fp(
            "a runaway loop is still one unit",
            "for i = 1, 100 do fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"n\" .. i } end; fp.notes:add{ year = 0 }",
            ["notes.year"]),
    ]

    static func plugin(
        _ name: String, _ manifest: String, _ expect: [String], args: [String] = ["go"],
        others: [String: String] = [:]
    ) -> BadInput {
        var all = others
        all["p"] = manifest
        return BadInput(name: "plugin: \(name)", kind: .plugins(all, ["p"] + args), expect: expect)
    }

    /// A manifest of plugin `p` with a command `go` running `body`, plus `extra` fields.
    static func manifest(_ extra: String, body: String = "return 1", args: String = "") -> String {
        "return { name = 'p', version = '1.0.0', api = 1, \(extra) commands = { go = { args = { \(args) }, run = function(args, ctx) \(body) end } } }"
    }

    /// Plugin manifests, ledger declarations and plugin code.
    static let plugins: [BadInput] = [
        plugin(
            "api 2", manifest("api = 2,").replacingOccurrences(of: "api = 1, ", with: ""),
            ["plugin p is disabled", "api 2 is not supported"]),
        plugin(
            "version not semantic", manifest("").replacingOccurrences(of: "'1.0.0'", with: "'first'"),
            ["version \"first\""]),
        plugin("unknown manifest field", manifest("colour = 'red',"), ["unknown field 'colour'"]),
        plugin(
            "name differs from the folder", manifest("").replacingOccurrences(of: "name = 'p'", with: "name = 'q'"),
            ["differs from its folder"]),
        plugin("unknown permission", manifest("permissions = { 'root' },"), ["\"root\" is not one of"]),
        plugin("manifest syntax error", "return { name = 'p',", ["p/plugin.lua"]),
        plugin("manifest returns a string", "return 'manifest'", ["must return the manifest table"]),
        plugin("manifest raises", "error('broken on purpose')", ["p/plugin.lua:1: broken on purpose"]),
        plugin("manifest loops forever", "while true do end", ["plugin.lua failed"]),
        plugin("limits beyond the host", manifest("limits = { memory_mb = 1e9 },"), ["more than the host allows"]),
        plugin(
            "requires a missing plugin", manifest("requires = { 'ghost >= 1' },"),
            ["requires ghost, which is not installed"]),
        plugin(
            "requires a newer version", manifest("requires = { 'q >= 2' },"),
            ["requires q >= 2 but q 1.0.0 is installed"],
            others: ["q": "return { name = 'q', version = '1.0.0', api = 1 }"]),
        plugin(
            "cyclic requires", manifest("requires = { 'q' },"), ["dependency cycle"],
            others: ["q": "return { name = 'q', version = '1.0.0', api = 1, requires = { 'p' } }"]),
        plugin("requirement without an operator", manifest("requires = { 'q 1.0' },"), ["needs an operator"]),
        plugin(
            "ledger named like a core collection",
            manifest("ledgers = { households = { fields = { { name = 'a', type = 'text' } } } },"),
            ["may not take the name of a core collection"]),
        plugin(
            "ledger field of an unknown type",
            manifest("ledgers = { t = { fields = { { name = 'a', type = 'float' } } } },"),
            ["type \"float\" is not one of"]),
        plugin(
            "ledger field named id", manifest("ledgers = { t = { fields = { { name = 'id', type = 'text' } } } },"),
            ["(and not id)"]),
        plugin(
            "ledger field SQL injection",
            manifest(
                "ledgers = { t = { fields = { { name = 'a\\\"; DROP TABLE households; --', type = 'text' } } } },"),
            ["must be letters, digits and '_'"]),
        plugin(
            "ledger enum without values", manifest("ledgers = { t = { fields = { { name = 'a', type = 'enum' } } } },"),
            ["values is required"]),
        plugin(
            "ledger ref to nothing",
            manifest("ledgers = { t = { fields = { { name = 'a', type = 'ref', to = 'nowhere' } } } },"),
            ["references unknown collection nowhere"]),
        plugin(
            "derive naming missing fields",
            manifest(
                "ledgers = { t = { fields = { { name = 'a', type = 'money' } }, derive = { a = { 'b', 'c' } } } },"),
            ["derive.a names unknown field 'b'"]),
        plugin(
            "derive over text",
            manifest(
                "ledgers = { t = { fields = { { name = 'a', type = 'text' }, { name = 'b', type = 'number' }, { name = 'c', type = 'number' } }, derive = { a = { 'b', 'c' } } } },"
            ),
            ["'a' is text, not a number"]),
        plugin(
            "command argument of an unknown type", manifest("", args: "{ name = 'n', type = 'float' }"),
            ["type \"float\" is not one of"]),
        plugin("sandbox: os.execute", manifest("", body: "os.execute('true')"), ["p go:", "field 'execute'"]),
        plugin("sandbox: io.open", manifest("", body: "return io.open('/etc/passwd')"), ["global 'io'"]),
        plugin(
            "sandbox: require a C module", manifest("", body: "return require('lfs')"),
            ["no module lfs.lua in plugin p"]),
        plugin(
            "sandbox: string metatable", manifest("", body: "getmetatable('').__index = {}"),
            ["string metatable cannot be"]),
        plugin(
            "write without the permission",
            manifest("", body: "fp.notes:add{ year = 2019, unit_id = 1, kind = 'problem', text = 'x' }"),
            ["has no 'write' permission"]),
        plugin(
            "personal data by raw SQL without pii",
            manifest("", body: "return fp.sql('SELECT head_id_number FROM households')"),
            ["needs the 'pii' permission"]),
        plugin(
            "export without the permission", manifest("", body: "ctx.write_file('x.txt', 'x')"),
            ["has no 'export' permission"]),
        plugin(
            "export escaping exports/",
            manifest("permissions = { 'read', 'export' },", body: "ctx.write_file('../../escape.txt', 'x')"),
            ["outside the workspace's exports/"]),
        plugin(
            "write then fail",
            manifest(
                "permissions = { 'read', 'write' },", body: "fp.towns:add{ name = '新镇' } ctx.fail('refused on purpose')"
            ),
            ["p go: refused on purpose"]),
        plugin(
            "infinite loop", manifest("limits = { seconds = 0.2 },", body: "while true do end"),
            ["ran longer than its limit"]),
        plugin(
            "memory bomb",
            manifest(
                "limits = { memory_mb = 8 },",
                body: "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 65536) .. i end"),
            ["more memory than its limit"]),
        plugin(
            "bad date argument", manifest("", args: "{ name = 'date', type = 'date', required = true }"),
            ["--date: 2019-02-30"],
            args: ["go", "--date", "2019-02-30"]),
        plugin(
            "missing required argument", manifest("", args: "{ name = 'year', type = 'integer', required = true }"),
            ["--year is required"]),
        plugin("unknown command", manifest(""), ["no such command"], args: ["stop"]),
    ]

    static let all: [BadInput] =
        visits + encodings + distributions + households + others + national + arguments + fpCalls + plugins
}

@Suite(.serialized) struct BadInputTests {
    /// One sample workspace for the whole table (nothing may be written to it).
    static let workspace: URL? = try? ImportExportCommandTests.sampleWorkspace()

    @Test func theTableHasAtLeastAHundredInputs() {
        #expect(BadInput.all.count >= 100, "\(BadInput.all.count) bad inputs")
    }

    @Test(arguments: BadInput.all) func badInputIsRefusedClearlyAndWritesNothing(_ input: BadInput) throws {
        let ws = try #require(BadInputTests.workspace)
        let dir = try FupinBinary.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try WorkspaceProbe.dump(ws)
        let arguments: [String]
        switch input.kind {
        case .importFile(let collection, let bytes, let extra):
            let file = dir.appendingPathComponent("bad.csv")
            try Data(bytes).write(to: file)
            arguments = ["import", collection, file.path, "--workspace", ws.path] + extra
        case .arguments(let given, let files):
            for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
            arguments = given.map {
                $0.replacingOccurrences(of: "$WS", with: ws.path).replacingOccurrences(of: "$DIR", with: dir.path)
            }
        case .eval(let code):
            arguments = ["eval", code, "--workspace", ws.path]
        case .script(let text):
            let file = dir.appendingPathComponent("bad.lua")
            try text.write(to: file, atomically: true, encoding: .utf8)
            arguments = ["run", file.path, "--workspace", ws.path]
        case .plugins(let manifests, let given):
            for (name, text) in manifests {
                let folder = dir.appendingPathComponent("plugins/\(name)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try text.write(to: folder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
            }
            arguments = given + ["--workspace", ws.path]
        }
        let result = try FupinBinary.run(
            arguments,
            environment: [
                "FUPIN_SEEDS": dir.appendingPathComponent("no-seeds").path,
                "FUPIN_PLUGIN_PATH": dir.appendingPathComponent("plugins").path,
            ])
        #expect(result.status != 0, "exit status 0; stdout: \(result.stdout.prefix(300))")
        #expect(result.status < 128, "killed by a signal (\(result.status))")
        #expect(!result.stderr.isEmpty, "no error message")
        for part in input.expect {
            #expect(result.stderr.contains(part), "missing \(part) in: \(result.stderr.prefix(600))")
        }
        for crash in ["Fatal error", "SQLite error", "Error Domain=", "Unexpectedly found nil"] {
            #expect(!result.stderr.contains(crash), "\(crash) in: \(result.stderr.prefix(600))")
        }
        if let secret = input.secret {
            #expect(
                !result.stderr.contains(secret) && !result.stdout.contains(secret),
                "unmasked personal data in the output")
        }
        #expect(result.stderr.utf8.count < 64 * 1024, "an error of \(result.stderr.utf8.count) bytes")
        let after = try WorkspaceProbe.dump(ws)
        #expect(after == before, "the database changed")
    }
}
