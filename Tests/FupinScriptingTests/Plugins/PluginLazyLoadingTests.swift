import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// With worker processes, loading plugins reads their manifests only: a plugin's sandbox in
/// the host (its own `fp`, `print`, `require`) is made when something needs it, not for every
/// plugin of every command (issue 16, start-up).
@Suite struct PluginLazyLoadingTests {
    @Test func aPluginsSandboxIsMadeOnlyWhenSomethingNeedsIt() throws {
        let executable = try #require(PluginFixture.workerExecutable, "the built fupin runs the workers")
        let fixture = try PluginFixture()
        try fixture.plugin(
            "one",
            PluginFixture.manifest(
                "one",
                """
                commands = { hi = { run = function(args, ctx) ctx.print("hi from " .. fp.households:count()) end } }
                """))
        try fixture.plugin("two", PluginFixture.manifest("two", "exports = { answer = 42 }"))
        let workspace = try Workspace.inMemory()
        try SampleWorkspace.load(
            into: workspace, from: FpTestSupport.seeds, context: WriteContext(operator: "测试员", source: "test"))
        let host = try FupinHost(workspace: workspace, view: FpView(source: "test", operatorName: "测试员"))
        let runtime = PluginRuntime(host: host, places: fixture.places)
        runtime.workerExecutable = executable
        var lines: [String] = []
        runtime.output = { lines.append($0) }
        host.plugins = runtime
        try runtime.loadAll()
        try host.installPluginsTable(runtime)

        #expect(runtime.plugins.map(\.name) == ["one", "two"])
        let enabled = runtime.plugins.filter(\.isEnabled).count
        #expect(enabled == 2)
        let sandboxes = runtime.plugins.filter { $0.env != nil || $0.caller.fp != nil }.map(\.name)
        #expect(sandboxes.isEmpty, "a sandbox was made at load")

        // A command runs in its worker: the host still makes no sandbox, for it or the other.
        _ = try host.run("one", "hi")
        #expect(lines.count == 1 && lines.first?.hasPrefix("hi from ") == true, "\(lines)")
        let afterCommand = runtime.plugins.filter { $0.env != nil }.map(\.name)
        #expect(afterCommand.isEmpty, "running a command made a sandbox in the host")

        // Spec files run with the plugin's own fp: made then, for that plugin only.
        let two = try #require(runtime.plugin("two"))
        let fp = try runtime.fp(of: two)
        #expect(two.caller.fp === fp && two.env != nil && runtime.plugin("one")?.env == nil)
        // Made once: asked again, the same table.
        #expect(try runtime.fp(of: two) === fp)
    }
}
