import FupinCore
import LuaKit

extension FpReport {
    /// The measure behind `fp.report.width` (and so `pad` and the text tables): FupinCore's
    /// `DisplayWidth`, the one fp.show and the REPL use, so a report's text columns line up
    /// exactly as a table printed by fp.show does. The report chunk receives it as its first
    /// argument. Takes one string (numbers are converted); leaves the width (an integer) as
    /// the one result.
    static func widthNative(_ frame: LuaCallFrame) throws -> Int32 {
        frame.push(Int64(DisplayWidth.width(try frame.string(1))))
        return 1
    }
}
