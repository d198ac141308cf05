/// Small Lua helpers the plugin host builds plugin objects with: they run in the trusted
/// state but hand out only closures, so a plugin reaches nothing through them. The Lua is
/// `lua/plugin_support.lua`, compiled into the binary.
enum PluginSupport {
    static var source: [UInt8] { PackageResources.plugin_support_lua }
}
