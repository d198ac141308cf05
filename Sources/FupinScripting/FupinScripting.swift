// The `fp` Lua API and the plugin host (see DESIGN.md).
