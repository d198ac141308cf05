/// The Lua side of `fupin test`: describe / it / expect, built per spec file in the
/// plugin's sandbox (docs/plugins.md "Specs"). The Lua is `lua/plugin_specs.lua`, compiled
/// into the binary.
enum PluginSpecs {
    static var source: [UInt8] { PackageResources.plugin_specs_lua }
}
