/// The Lua side of a plugin's worker: `fp`'s natives as requests to the host, `require`,
/// `print` and the command's `ctx`, all inside the worker's own Lua state.
///
/// The chunk receives `rpc` (sends one request and returns the host's answer, or raises its
/// error), `notify` (sends a message needing no answer), the `PluginSupport` helpers, the
/// compiled `fp` prelude, the source of `fp.report`, the collection names, the plugin's
/// environment and the display-width native. It returns a table of what the worker's Swift side wires up.
enum WorkerPrelude {
    /// The Lua is `lua/worker_prelude.lua`, compiled into the binary (Package.swift `embedInCode`).
    static var source: [UInt8] { PackageResources.worker_prelude_lua }
}
