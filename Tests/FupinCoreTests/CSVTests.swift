import Foundation
import TestScratch
import Testing

@testable import FupinCore

@Suite("Text decoding")
struct TextDecodingTests {
    /// "郝九为" in GB18030 (computed with `iconv -f UTF-8 -t GB18030`).
    static let haoJiuweiGB: [UInt8] = [0xBA, 0xC2, 0xBE, 0xC5, 0xCE, 0xAA]

    @Test func gb18030IsDetectedAndConverted() throws {
        let file: [UInt8] = Array("name\r\n".utf8) + TextDecodingTests.haoJiuweiGB + [0x0D, 0x0A]
        let decoded = try TextDecoding.decode(file, encoding: .auto)
        #expect(decoded.encoding == .gb18030)
        #expect(String(decoding: decoded.bytes, as: UTF8.self) == "name\r\n郝九为\r\n")
        // Named explicitly gives the same; a 4-byte GB18030 sequence (😀) converts too.
        let emoji: [UInt8] = [0x94, 0x39, 0xFC, 0x36]
        #expect(
            try TextDecoding.utf8Bytes(of: TextDecodingTests.haoJiuweiGB + emoji, encoding: .gb18030)
                == Array("郝九为😀".utf8))
    }

    @Test func gb18030MadeByIconvRoundTrips() throws {
        // A whole file written by the system's iconv, as Excel on Chinese Windows would.
        let text = "户编号,户主姓名,致贫原因\r\n150602001001,杨来才,缺技术\r\n150602001002,刘三,因残\r\n"
        let gb = try gb18030ByIconv(text)
        #expect(TextDecoding.firstInvalidUTF8(gb) != nil)
        #expect(try TextDecoding.utf8Bytes(of: gb, encoding: .auto) == Array(text.utf8))
    }

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = Array("户编号\n".utf8)
        #expect(try TextDecoding.decode(plain, encoding: .auto).encoding == .utf8)
        #expect(try TextDecoding.utf8Bytes(of: [0xEF, 0xBB, 0xBF] + plain, encoding: .auto) == plain)
        #expect(try TextDecoding.utf8Bytes(of: [0xEF, 0xBB, 0xBF] + plain, encoding: .utf8) == plain)
    }

    @Test func undecodableBytesNameOffsetAndLine() throws {
        // Named UTF-8 but holding GB18030 on line 2.
        let file = Array("a,b\n1,".utf8) + TextDecodingTests.haoJiuweiGB
        do {
            _ = try TextDecoding.utf8Bytes(of: file, encoding: .utf8)
            Issue.record("expected a decoding error")
        } catch let error as TextDecodingError {
            #expect(error.offset == 6)
            #expect(error.line == 2)
            #expect(error.description.contains("line 2 (byte offset 6)"))
        }
        // Not GB18030 either: 0xFF is never a GB18030 lead byte.
        do {
            _ = try TextDecoding.utf8Bytes(of: Array("x\ny\n".utf8) + [0xFF, 0x41], encoding: .auto)
            Issue.record("expected a decoding error")
        } catch let error as TextDecodingError {
            #expect(error.encoding == .gb18030)
            #expect(error.offset == 4)
            #expect(error.line == 3)
        }
        // A BOM says UTF-8: a bad byte after it is a UTF-8 error, not a switch to GB18030.
        #expect(throws: TextDecodingError.self) {
            try TextDecoding.utf8Bytes(of: [0xEF, 0xBB, 0xBF] + TextDecodingTests.haoJiuweiGB, encoding: .auto)
        }
    }

    @Test func utf8ValidatorRejectsOverlongsAndSurrogates() {
        #expect(TextDecoding.firstInvalidUTF8(Array("ok 郝九为 😀 ascii-only-run-of-bytes".utf8)) == nil)
        #expect(TextDecoding.firstInvalidUTF8([0x41, 0xC0, 0x80]) == 1)  // overlong NUL
        #expect(TextDecoding.firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0)  // surrogate
        #expect(TextDecoding.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(TextDecoding.firstInvalidUTF8(Array("abcdefghij".utf8) + [0xE9, 0x83]) == 10)  // truncated
        // The byte loop (older platforms) agrees with the standard library's validator.
        let samples: [[UInt8]] = [
            Array("ok 郝九为 😀".utf8), [0x41, 0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            Array("abcdefghij".utf8) + [0xE9, 0x83], Array("户编号".utf8) + [0xBA, 0xC2],
        ]
        for sample in samples {
            #expect(TextDecoding.firstInvalidUTF8ByteLoop(sample) == TextDecoding.firstInvalidUTF8(sample))
        }
    }

    @Test func aLargeFileCheckedInTwoHalvesFindsTheSameFirstBadByte() {
        // Rows of a national file, past the size checked in two halves; its middle falls
        // wherever it falls in a row, inside a character or not.
        let row = Array("150602010100000101,吴华,男,150602198309094178,户主,汉族,健康\n".utf8)
        var text: [UInt8] = []
        while text.count < TextDecoding.parallelCheckFrom + 4096 { text += row }
        let middle = text.count / 2
        #expect(TextDecoding.firstInvalidUTF8(text) == nil)
        // A bad byte before the middle, at it, on either side of it, near the end; a character
        // cut short across the middle; continuation bytes running over it; two bad bytes, one
        // in each half: always the byte loop's answer, the first bad byte of the whole.
        var cases: [(String, [UInt8])] = []
        for offset in [100, middle - 1, middle, middle + 1, middle + 2, middle + 3, text.count - 2] {
            var bad = text
            bad[offset] = 0xFF
            cases.append(("0xFF at \(offset)", bad))
        }
        var cutShort = text
        cutShort.replaceSubrange(middle - 1..<middle + 1, with: [0xE5, 0x41])
        cases.append(("a lead byte without its continuation", cutShort))
        var run = text
        run.replaceSubrange(middle - 2..<middle + 3, with: [0x80, 0x80, 0x80, 0x80, 0x80])
        cases.append(("continuation bytes over the middle", run))
        var two = text
        two[middle - 10] = 0xC0
        two[middle + 10] = 0xFF
        cases.append(("one in each half", two))
        for (label, bytes) in cases {
            let expected = TextDecoding.firstInvalidUTF8ByteLoop(bytes)
            #expect(expected != nil, "\(label)")
            #expect(TextDecoding.firstInvalidUTF8(bytes) == expected, "\(label)")
        }
    }

    @Test func encodingNames() {
        #expect(TextEncoding(name: "UTF8") == .utf8)
        #expect(TextEncoding(name: "GBK") == .gb18030)
        #expect(TextEncoding(name: "latin1") == nil)
    }
}

@Suite("CSV")
struct CSVTests {
    @Test func quotesDoubledQuotesAndLineBreaks() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n郝九为,,\"\"\r\nlast,row,no-newline"
        #expect(
            CSVReader.parse(text) == [
                ["a", "b", "c"],
                ["x, y", "say \"hi\"", "two\nlines"],
                ["郝九为", "", ""],
                ["last", "row", "no-newline"],
            ])
    }

    @Test func rowNumbersCountBlankLinesAndLinesInsideQuotes() {
        var reader = CSVReader(Array("h1,h2\n\n\"a\nb\",1\r\nc,2\rd,3\n".utf8))
        var row = CSVRow()
        var seen: [(Int, Int, String)] = []
        while reader.read(into: &row) { seen.append((row.number, row.line, reader.string(row, 0))) }
        #expect(seen.map(\.0) == [1, 3, 4, 5])  // the blank line is row 2
        #expect(seen.map(\.1) == [1, 3, 5, 6])  // "a\nb" spans lines 3–4; a lone CR ends a line
        #expect(seen.map(\.2) == ["h1", "a\nb", "c", "d"])
    }

    @Test func emptyFieldsAndTrailingComma() {
        #expect(CSVReader.parse(",\n,,x\ny,") == [["", ""], ["", "", "x"], ["y", ""]])
        var reader = CSVReader(Array(",,\n".utf8))
        var row = CSVRow()
        let found = reader.read(into: &row)
        #expect(found && row.isEmpty && row.count == 3)
    }

    @Test func bomIsSkipped() {
        #expect(CSVReader.parse("\u{FEFF}户编号,姓名\n1,郝九为\n") == [["户编号", "姓名"], ["1", "郝九为"]])
    }

    @Test func problemsNameTheColumnAndReadingGoesOn() {
        var reader = CSVReader(Array("a,b\nx,y\"z\n\"q\"r,2\nok,3\n\"open,4\nmore\n".utf8))
        var row = CSVRow()
        var problems: [(Int, Int, CSVProblem)] = []
        var firsts: [String] = []
        while reader.read(into: &row) {
            firsts.append(reader.string(row, 0))
            if let (column, problem) = row.problem { problems.append((row.number, column, problem)) }
        }
        #expect(problems.map(\.0) == [2, 3, 5])
        #expect(problems.map(\.1) == [1, 0, 0])
        #expect(problems.map(\.2) == [.quoteInUnquotedField, .textAfterClosingQuote, .unclosedQuote(openedAtLine: 5)])
        #expect(firsts.count == 5)
        #expect(firsts[3] == "ok")
    }

    @Test func writerQuotesOnlyWhenNeededAndRoundTrips() {
        let rows = [
            ["id", "说明", "金额"], ["1", "a,b", "6.40"], ["2", "say \"hi\"", " padded "], ["3", "two\nlines", ""],
        ]
        let text = CSVWriter.text(rows)
        #expect(text == "id,说明,金额\r\n1,\"a,b\",6.40\r\n2,\"say \"\"hi\"\"\",\" padded \"\r\n3,\"two\nlines\",\r\n")
        #expect(CSVReader.parse(text) == rows)
        var writer = CSVWriter()
        writer.writeRow(["户编号"])
        #expect(Array(writer.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func bytesComparisons() {
        var reader = CSVReader(Array("户主,x\n户主,y\n".utf8))
        var a = CSVRow()
        var b = CSVRow()
        let first = reader.read(into: &a)
        let second = reader.read(into: &b)
        #expect(first && second)
        #expect(reader.sameField(a, 0, b, 0))
        #expect(!reader.sameField(a, 1, b, 1))
        #expect(reader.field(a, 0, equals: Array("户主".utf8)))
        var again = CSVRow()
        reader.reread(offset: b.offset, number: b.number, line: b.line, into: &again)
        #expect(reader.string(again, 1) == "y" && again.number == 2)
    }

    @Test func aFieldReadOnItsOwnIsItsRowsField() {
        var reader = CSVReader(Array("\"say \"\"hi\"\"\",户主\n".utf8))
        var row = CSVRow()
        let read = reader.read(into: &row)
        #expect(read)
        // By field as by row and column: quotes undoubled in the text, raw in the bytes.
        #expect(reader.string(row.field(0)) == reader.string(row, 0))
        #expect(reader.string(row.field(0)) == "say \"hi\"")
        #expect(reader.withBytes(row.field(0)) { Array($0) } == Array("say \"\"hi\"\"".utf8))
        #expect(reader.withBytes(row.field(1)) { String(decoding: $0, as: UTF8.self) } == "户主")
        // A column past the row's end is an empty field, as `string(row, column)` gives "".
        #expect(reader.string(row.field(5)).isEmpty)
        #expect(reader.withBytes(row.field(5)) { $0.isEmpty })
    }

    /// Fields of every length from 0 to 19 bytes, made of the bytes on either side of the ones
    /// a scan stops at (space and tab, `!` below the quote, `#` above it, `+` and `-` around the
    /// comma, DEL, a three-byte character), quoted where they hold a comma, a quote or a line
    /// break, joined with every line ending: each reads back as written, on its line, with no
    /// problem, whichever byte of an eight-byte word a field or a row ends at.
    @Test func fieldsOfEveryLengthReadBackWhereverTheyEnd() {
        var random = SeededRandom(seed: 18)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
        let plain: [[UInt8]] = [[0x20], [0x09], [0x21], [0x23], [0x2B], [0x2D], [0x7F], [0x61], Array("汉".utf8)]
        let special: [[UInt8]] = [[0x2C], [0x22], [0x0A], [0x0D, 0x0A]]
        for length in 0..<20 {
            var file: [UInt8] = []
            var expected: [[String]] = []
            var lines: [Int] = []
            var line = 1
            for _ in 0..<40 {
                var fields: [[UInt8]] = []
                for _ in 0..<(1 + Int(random.next() % 5)) {
                    var bytes: [UInt8] = []
                    while bytes.count < length { bytes += random.next() % 6 == 0 ? pick(special) : pick(plain) }
                    fields.append(bytes)
                }
                lines.append(line)
                for (column, bytes) in fields.enumerated() {
                    if column > 0 { file.append(0x2C) }
                    // Quoted where it must be, now and then where it need not; a row of one
                    // empty field is quoted, or it would be a blank line.
                    if bytes.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }) || random.next() % 4 == 0
                        || (fields.count == 1 && bytes.isEmpty)
                    {
                        file.append(0x22)
                        for byte in bytes { file += byte == 0x22 ? [0x22, 0x22] : [byte] }
                        file.append(0x22)
                    } else {
                        file += bytes
                    }
                    line += bytes.filter { $0 == 0x0A }.count
                }
                file += pick([[0x0A], [0x0D, 0x0A], [0x0D]])
                line += 1
                expected.append(fields.map { String(decoding: $0, as: UTF8.self) })
            }
            var reader = CSVReader(file)
            var row = CSVRow()
            var read: [[String]] = []
            var readLines: [Int] = []
            while reader.read(into: &row) {
                #expect(row.problem == nil, "fields of \(length) bytes, row \(row.number)")
                read.append((0..<row.count).map { reader.string(row, $0) })
                readLines.append(row.line)
            }
            #expect(read == expected, "fields of \(length) bytes")
            #expect(readLines == lines, "fields of \(length) bytes")
        }
    }

    /// A quote inside an unquoted field is found at every offset of its field, in every column.
    @Test func aStrayQuoteIsFoundAtEveryOffset() {
        for offset in 1..<20 {
            for column in 0..<3 {
                var fields = Array(repeating: String(repeating: "汉", count: 7), count: 3)
                var bytes = Array(fields[column].utf8)
                bytes.insert(0x22, at: offset)
                fields[column] = String(decoding: bytes, as: UTF8.self)
                var reader = CSVReader(Array((fields.joined(separator: ",") + "\nnext,row\n").utf8))
                var row = CSVRow()
                _ = reader.read(into: &row)
                #expect(row.problem?.column == column && row.problem?.problem == .quoteInUnquotedField)
                #expect((0..<row.count).map { reader.string(row, $0) } == fields)
                _ = reader.read(into: &row)
                #expect(row.problem == nil && reader.string(row, 1) == "row")
            }
        }
    }
}

/// Formula cells in CSV meant for spreadsheets (OWASP "CSV injection").
@Suite struct CSVNeutralisingTests {
    @Test func textCellsGetAQuoteNumbersStay() {
        #expect(CSVWriter.neutralised("=1+1") == "'=1+1")
        #expect(CSVWriter.neutralised("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.neutralised("\tx") == "'\tx")
        #expect(CSVWriter.neutralised("郝九为") == "郝九为")
        #expect(CSVWriter.neutralised("") == "")
    }

    @Test func aPluginsOwnCSVIsRewrittenCellByCell() {
        let input = "\u{feff}a,=1+1,-3,-1,234.5\r\n\"@x\",\"say \"\"=\"\"\",+1,-2-3\n\t,\"-4.5\"\n"
        let output = String(decoding: CSVNeutraliser.neutralise(Array(input.utf8)), as: UTF8.self)
        #expect(output == "\u{feff}a,'=1+1,-3,-1,234.5\r\n\"'@x\",\"say \"\"=\"\"\",'+1,'-2-3\n'\t,\"-4.5\"\n")
        #expect(CSVNeutraliser.neutralise([]) == [])
        #expect(String(decoding: CSVNeutraliser.neutralise(Array("=x".utf8)), as: UTF8.self) == "'=x")
    }
}
