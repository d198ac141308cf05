import Foundation
import LuaKit

/// Running inputs and showing what they give (lua.c's `docall`, `l_print` and `report`).
extension ReplSession {
    /// Runs `function` as one unit of work with Ctrl-C aimed at it; returns its results.
    /// Meta-commands that run Lua use this too.
    ///
    /// ```swift
    /// let results = try session.evaluate(chunk)
    /// ```
    func evaluate(_ function: LuaFunction, arguments: [LuaValue] = []) throws -> [LuaValue] {
        try ReplInterrupts.whileRunning {
            try host.runUnit { try function.call(arguments: arguments) }
        }
    }

    /// Runs a compiled input: one unit of work that also shows the results (so a printer
    /// reading a lazy query sees the unit's own writes, even under a dry run) and sets `_`
    /// to the first result. Errors are reported; the session goes on.
    func runInput(_ function: LuaFunction) {
        do {
            _ = try ReplInterrupts.whileRunning {
                try host.runUnit {
                    let results = try function.call()
                    if let first = results.first { environment.declare("_", first) }
                    try showResults(results)
                    if results.count == 1, results[0].isNil, let hint = hint(for: nil) {
                        ReplOutput.error(style.note(hint))
                    }
                    return results
                }
            }
        } catch {
            pendingPage = nil
            report(error)
        }
        showPendingPage()
    }

    /// Pages the result kept for the pager, if any (after the unit, so no transaction stays
    /// open while the person reads).
    func showPendingPage() {
        guard let page = pendingPage else { return }
        pendingPage = nil
        Pager.show(page)
    }

    /// Prints `values` through the printers (nothing for no values), with Ctrl-C aimed at
    /// any Lua a printer runs.
    func show(_ values: [LuaValue]) throws {
        try ReplInterrupts.whileRunning { try showResults(values) }
        showPendingPage()
    }

    private func showResults(_ values: [LuaValue]) throws {
        guard !values.isEmpty else { return }
        var context = printContext
        for printer in printers + [defaultPrinter] {
            guard let text = try printer.render(values, context: context) else { continue }
            guard !text.isEmpty else { return }
            guard editor != nil, Pager.isNeeded(for: text, enabled: pagesOutput) else {
                ReplOutput.line(text)
                return
            }
            // Kept for the pager; drawn again for it, so a ledger table keeps all its columns.
            context.paging = true
            pendingPage = try printer.render(values, context: context) ?? text
            return
        }
    }

    /// Prints an error on stderr: a Lua error's message, a hint (see `hints`) and the
    /// traceback of the user's frames (just "interrupted" after Ctrl-C), a meta-command's
    /// message, or any other error's description.
    func report(_ error: Error) {
        switch error {
        case let error as LuaError where error.kind == .interrupted:
            ReplOutput.error(style.error("interrupted"))
        case let error as LuaError:
            let message = ReplErrorText.message(error, context: printContext)
            var text = style.error(message)
            if let hint = hint(for: message) { text += "\n" + style.note(hint) }
            if let traceback = error.traceback.flatMap(ReplErrorText.userFrames), !traceback.isEmpty {
                text += "\n" + traceback
            }
            ReplOutput.error(text)
        default:
            ReplOutput.error(style.error("\(error)"))
        }
    }

    /// The first hint a layer has for the current input and `message` (nil: the input
    /// gave `nil`).
    func hint(for message: String?) -> String? {
        guard let input = currentInput else { return nil }
        for hint in hints { if let text = hint(input, message) { return text } }
        return nil
    }

    /// Runs `body`, then prints how long it took when `:timing` is on (before and after,
    /// so `:timing on` itself is not timed).
    func timed(_ body: () -> Void) {
        let clock = ContinuousClock()
        let start = clock.now
        let wasTiming = showsTiming
        body()
        guard wasTiming && showsTiming else { return }
        let elapsed = clock.now - start
        let (seconds, attoseconds) = elapsed.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        let text = ms < 1000 ? String(format: "%.3f ms", ms) : String(format: "%.3f s", ms / 1000)
        ReplOutput.line(style.note("time: " + text))
    }
}
