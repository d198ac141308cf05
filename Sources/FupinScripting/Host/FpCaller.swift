import LuaKit

/// Who an `fp` object acts for: a plugin's own `fp` is built over one of these, so its reads
/// are masked and its writes refused according to that plugin's permissions, even when its
/// functions are called from elsewhere.
///
/// ```swift
/// let caller = FpCaller(view: FpView(source: "plugin:report", allowsWrites: false, masksPersonalData: true))
/// let fp = try host.makeFp(for: caller)
/// ```
public final class FpCaller {
    /// The view the natives of this caller's `fp` act under (updated when permissions are known).
    public var view: FpView
    /// The `fp` table built for this caller.
    public internal(set) var fp: LuaTable?

    public init(view: FpView) {
        self.view = view
    }
}
