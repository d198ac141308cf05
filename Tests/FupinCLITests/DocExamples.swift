import Foundation

/// The examples of README.md and docs/*.md, read by the convention docs/doc-tests.md
/// describes: ```console blocks are transcripts (`$ command`, then the output it prints),
/// ```lua blocks run with `expression --> shown result` lines checked, and a block that is
/// not run says why in its fence (```sh norun: REASON).
struct DocBlock {
    /// The file (relative to the checkout) and the line of the opening fence.
    var file: String
    var line: Int
    /// The fence's info string, e.g. `console`, `lua norun: a manifest excerpt`.
    var info: String
    var lines: [String]

    /// The language: the info string's first word.
    var language: String { String(info.split(separator: " ").first ?? "") }

    /// Why the block is not run, when its fence says `norun: REASON` (nil otherwise; empty
    /// when the reason is missing, which the checks refuse).
    var notRunReason: String? {
        guard let range = info.range(of: "norun") else { return nil }
        var reason = info[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if reason.hasPrefix(":") { reason.removeFirst() }
        return reason.trimmingCharacters(in: .whitespaces)
    }

    var place: String { "\(file):\(line)" }

    /// Whether the block shows a command line or a prompt (so it is an example to run).
    var looksLikeAnExample: Bool {
        ["sh", "bash", "shell", "console", "lua"].contains(language)
            || lines.first.map { $0.hasPrefix("$ ") || $0.hasPrefix("> ") } == true
    }

    /// Every fenced block of `text`.
    static func parse(_ text: String, file: String) -> [DocBlock] {
        var blocks: [DocBlock] = []
        var current: DocBlock?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if current == nil {
                if line.hasPrefix("```") {
                    current = DocBlock(
                        file: file, line: index + 1,
                        info: String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), lines: [])
                }
            } else if line == "```" {
                if let block = current { blocks.append(block) }
                current = nil
            } else {
                current?.lines.append(line)
            }
        }
        return blocks
    }
}

/// One command of a console block and the output the doc shows for it.
struct TranscriptStep {
    var command: String
    var expected: [String]
    var status: Int32 = 0

    /// The steps of a console block: `$ ` starts a command (a line ending in `\` goes on), the
    /// lines up to the next `$ ` are its output, and a last output line `[N]` is its exit status.
    static func parse(_ lines: [String]) -> [TranscriptStep] {
        var steps: [TranscriptStep] = []
        var continuing = false
        for line in lines {
            if continuing, var last = steps.popLast() {
                last.command += "\n" + line
                continuing = line.hasSuffix("\\")
                steps.append(last)
            } else if line.hasPrefix("$ ") {
                steps.append(TranscriptStep(command: String(line.dropFirst(2)), expected: []))
                continuing = line.hasSuffix("\\")
            } else if var last = steps.popLast() {
                last.expected.append(line)
                steps.append(last)
            }
        }
        return steps.map { step in
            var step = step
            while step.expected.last == "" { step.expected.removeLast() }
            if let last = step.expected.last, last.hasPrefix("["), last.hasSuffix("]"),
                let status = Int32(last.dropFirst().dropLast())
            {
                step.status = status
                step.expected.removeLast()
            }
            return step
        }
    }

    /// Whether `actual` is the output shown: equal lines, except that a line `...` stands for
    /// any number of lines and a line ending in ` (glob)` may hold `*` for any text.
    static func matches(_ expected: [String], _ actual: [String]) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "..." {
            let rest = Array(expected.dropFirst())
            return (0...actual.count).contains { matches(rest, Array(actual.dropFirst($0))) }
        }
        guard let line = actual.first, lineMatches(first, line) else { return false }
        return matches(Array(expected.dropFirst()), Array(actual.dropFirst()))
    }

    /// Trailing spaces do not count (editors strip them from the doc).
    static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        let line = String(line.reversed().drop { $0 == " " }.reversed())
        let pattern = String(pattern.reversed().drop { $0 == " " }.reversed())
        guard pattern.hasSuffix(" (glob)") else { return pattern == line }
        let parts = pattern.dropLast(7).components(separatedBy: "*")
        var rest = Substring(line)
        for (i, part) in parts.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if i == parts.count - 1 {
                return rest.hasSuffix(part)
            } else if !part.isEmpty {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return rest.isEmpty
    }
}

/// Lua blocks: each line `CODE --> SHOWN` checks that CODE's values, printed as `fupin eval`
/// prints them (tostring, tab-separated), read SHOWN.
enum LuaExample {
    /// A script running the block with its `-->` lines turned into checks; a failed check
    /// raises an error naming the doc line, what it shows and what was printed.
    static func script(_ block: DocBlock) -> String {
        var out = [
            "local function __shown(...)",
            "  local t = table.pack(...) local s = {}",
            "  for i = 1, t.n do s[i] = tostring(t[i]) end",
            "  return table.concat(s, '\\t')",
            "end",
        ]
        for (offset, line) in block.lines.enumerated() {
            guard let arrow = line.range(of: "-->") else { out.append(line); continue }
            let code = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
            let shown = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
            let place = "\(block.file):\(block.line + 1 + offset)"
            out.append(
                "do local got = __shown(\(code)) if got ~= \(quoted(shown)) then "
                    + "error(\(quoted(place + ": ")) .. \(quoted(code)) .. ' shows ' .. \(quoted(shown)) .. ' but gives ' .. got, 0) end end"
            )
        }
        return out.joined(separator: "\n")
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
