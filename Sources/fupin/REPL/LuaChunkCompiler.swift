import FupinREPL
import LuaKit

/// The REPL's chunk compiler: `ChunkCompiler` over a `ReplEnvironment`.
typealias LuaChunkCompiler = ChunkCompiler<LuaFunction, LuaError>

extension ChunkCompiler where Chunk == LuaFunction, Failure == LuaError {
    /// Compiles with `environment` as `_ENV`; errors name the input `chunkName`.
    init(environment: ReplEnvironment, chunkName: String = "=stdin") {
        self.init(load: { try environment.compile($0, chunkName: chunkName) }, message: { $0.message })
    }
}
