import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal is given back as the REPL found it, whichever way the REPL ends — else the
/// user's shell is left without echo or line editing (`stty -a` shows `-icanon -echo`).
@Suite struct ReplTerminalTests {
    /// One way to leave: what to type or send once the prompt shows.
    enum WayOut: CustomStringConvertible {
        case type(String)
        case signal(Int32, String)

        var description: String {
            switch self {
            case .type(let text): return text.debugDescription
            case .signal(_, let name): return name
            }
        }
    }

    static let waysOut: [WayOut] = [
        .type(":quit\r"), .type("\u{4}"), .type("function f(\r\u{4}"), .type("os.exit(3)\r"),
        .signal(SIGTERM, "SIGTERM"), .signal(SIGHUP, "SIGHUP"), .signal(SIGQUIT, "SIGQUIT"),
        .signal(SIGSEGV, "SIGSEGV"), .signal(SIGABRT, "SIGABRT"),
    ]

    @Test(arguments: waysOut)
    func leavingRestoresTheTerminalModes(_ way: WayOut) throws {
        var environment = try ReplInteractiveTests.Sandbox().environment
        // The Swift runtime's crash report would wait for a key on a terminal.
        environment["SWIFT_BACKTRACE"] = "interactive=no"
        let term = try PseudoTerminal(FupinBinary.path, environment: environment)
        try term.expect(":help")
        try term.expect("> ")
        term.send("1 + 1\r")
        try term.expect("\n2\n")
        try term.expect("> ")  // back at the prompt: libedit's raw mode is on
        #expect(term.modes != term.initialModes, "libedit did not change the modes; the test would prove nothing")
        switch way {
        case .type(let text): term.send(text)
        case .signal(let number, _): term.signal(number)
        }
        let status = try term.waitForExit()
        #expect(term.modes == term.initialModes, "after \(way)")
        switch way {
        case .type("os.exit(3)\r"): #expect(status == 3)
        case .type("function f(\r\u{4}"): #expect(status == 0)
        case .type: #expect(status == 0)
        case .signal(let number, _) where number == SIGTERM || number == SIGHUP: #expect(status == 128 + number)
        case .signal: #expect(status != 0)
        }
    }
}
