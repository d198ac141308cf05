import FupinCore
import FupinREPL
import FupinScripting
import LuaKit

/// What tab completion needs to know about `fp` that reading tables cannot tell: that a
/// query method returns a query (so `fp.sales:where{…}:gr` offers `group_by`), and which
/// field names fit inside `where{ }`, `find{ }`, `add{ }`, `update(id, { })` and the string
/// of `group_by("…")`, `order_by("…")`, `sum("…")` and the other per-field figures, and
/// which arguments a plugin command takes (`fp.plugins.shop.record{ da`).
///
/// ```text
/// > fp.households:where{ sta⇥      →  standard  status
/// > fp.distributions:group_by("it⇥  →  item
/// ```
struct FpCompletions: ReplCompletionSource {
    let host: FupinHost

    /// Calls on a collection or query that return a query of the same collection.
    static let queryReturning: Set<String> = ["where", "order_by", "limit", "offset", "group_by", "all"]
    static let filterCalls: Set<String> = ["where", "find"]
    static let writeCalls: Set<String> = ["add", "update"]
    static let fieldCalls: Set<String> = ["group_by", "order_by", "sum", "avg", "min", "max"]

    func fieldNames(of value: LuaValue, methodsOnly: Bool) -> [String]? { nil }

    /// The arguments of the plugin command `fp.plugins[plugin][command]` names.
    func argumentNames(of head: [String]) -> [String]? {
        guard head.count == 4, head[0] == "fp", head[1] == "plugins",
            let manifest = host.plugins?.plugin(head[2])?.manifest
        else { return nil }
        let command = manifest.commands.first {
            $0.name == head[3] || $0.name.replacingOccurrences(of: "-", with: "_") == head[3]
        }
        return command?.arguments.map(\.name)
    }
    func field(of value: LuaValue, named name: String) -> LuaValue? { nil }

    func names(for chain: CallChainCompletion, from value: LuaValue) -> [String]? {
        if chain.kind == .fieldKey, chain.calls.isEmpty { return argumentNames(of: chain.head) }
        guard case .table(let table) = value, let name = table.rawGet("_c").stringValue,
            let schema = host.workspace.schema[name]
        else { return nil }
        let fields = schema.fields.map(\.name)
        switch chain.kind {
        case .method:
            guard chain.calls.allSatisfy(FpCompletions.queryReturning.contains) else { return nil }
            return FpAPI.queryMethods.map(\.name)
        case .fieldKey, .fieldString:
            guard let last = chain.calls.last, chain.calls.dropLast().allSatisfy(FpCompletions.queryReturning.contains)
            else { return nil }
            let byYear = schema.dateField != nil && schema.field("year") == nil ? ["year"] : []
            if chain.kind == .fieldKey {
                if FpCompletions.filterCalls.contains(last) { return [CollectionSchema.idField] + fields + byYear }
                if FpCompletions.writeCalls.contains(last) { return fields }
                return nil
            }
            guard FpCompletions.fieldCalls.contains(last) else { return nil }
            return last == "group_by" ? fields + byYear : [CollectionSchema.idField] + fields
        }
    }
}
