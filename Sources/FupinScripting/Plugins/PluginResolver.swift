/// Orders plugins by their `requires` and disables those whose dependencies are missing,
/// of the wrong version, disabled, or part of a cycle — only those, each with its reason.
enum PluginResolver {
    /// The plugins in an order where each comes after what it requires (disabled ones too,
    /// at the end); sets `problem` on every plugin that cannot load.
    static func resolve(_ plugins: [PluginRuntime.Plugin]) -> [PluginRuntime.Plugin] {
        let byName = Dictionary(plugins.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for plugin in plugins where plugin.isEnabled {
            for requirement in plugin.manifest?.requires ?? [] {
                guard let dependency = byName[requirement.plugin], let manifest = dependency.manifest else {
                    plugin.problem =
                        byName[requirement.plugin] == nil
                        ? "requires \(requirement.plugin), which is not installed"
                        : "requires \(requirement.plugin), which is disabled"
                    break
                }
                if !requirement.isSatisfied(by: manifest.version) {
                    plugin.problem =
                        "requires \(requirement.text) but \(requirement.plugin) \(manifest.version) is installed"
                    break
                }
            }
        }
        markCycles(plugins, byName)
        // A plugin whose dependency is disabled is disabled too, until nothing changes.
        var changed = true
        while changed {
            changed = false
            for plugin in plugins where plugin.isEnabled {
                if let down = plugin.manifest?.requires.first(where: { byName[$0.plugin]?.isEnabled != true }) {
                    plugin.problem = "requires \(down.plugin), which is disabled"
                    changed = true
                }
            }
        }
        var ordered: [PluginRuntime.Plugin] = []
        var placed = Set<String>()
        func place(_ plugin: PluginRuntime.Plugin) {
            guard placed.insert(plugin.name).inserted else { return }
            for requirement in plugin.manifest?.requires ?? [] {
                if let dependency = byName[requirement.plugin], dependency.isEnabled { place(dependency) }
            }
            ordered.append(plugin)
        }
        for plugin in plugins.sorted(by: { $0.name < $1.name }) where plugin.isEnabled { place(plugin) }
        return ordered + plugins.filter { !placed.contains($0.name) }
    }

    /// Finds cycles among `requires` and disables every plugin on one, naming the cycle.
    static func markCycles(_ plugins: [PluginRuntime.Plugin], _ byName: [String: PluginRuntime.Plugin]) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        func visit(_ name: String) {
            if marks[name] == .done { return }
            if marks[name] == .visiting {
                guard let start = stack.firstIndex(of: name) else { return }
                let cycle = Array(stack[start...]) + [name]
                for member in stack[start...] {
                    byName[member]?.problem = "dependency cycle: " + cycle.joined(separator: " → ")
                }
                return
            }
            marks[name] = .visiting
            stack.append(name)
            for requirement in byName[name]?.manifest?.requires ?? [] where byName[requirement.plugin]?.manifest != nil
            {
                visit(requirement.plugin)
            }
            stack.removeLast()
            marks[name] = .done
        }
        for plugin in plugins.sorted(by: { $0.name < $1.name }) where plugin.manifest != nil { visit(plugin.name) }
    }
}
