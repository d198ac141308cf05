import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `Scripts/pg-test-server`, which `make test` and the test process itself start servers with.
@Suite struct PostgresTestServerTests {
    /// Runs the script with `arguments`, its descriptor 3 a copy of `inherited` (as a process
    /// started beside another can inherit that other's descriptors); its exit status.
    static func script(_ arguments: [String], inherited: Int32) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, inherited, 3)
        let argv = ([PostgresTestServer.script.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, PostgresTestServer.script.path, &actions, nil, argv, environ)
        try #require(spawned == 0, "posix_spawn: \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/lib/postgresql")))
    func aServerHoldsNoneOfItsStartersDescriptors() throws {
        // A socket whose other end the script inherits: once the script has exited and this
        // process has closed its own copy, this end sees the end of the stream unless the
        // server kept a copy. (Foundation's Process learns that a child has exited exactly so:
        // a server holding another child's end left `waitUntilExit` waiting for ever.)
        // A socket pair made close-on-exec at once, so that no child another test starts
        // meanwhile holds it too; the script's copy (descriptor 3) is an ordinary one.
        var ends: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        try #require(socketpair(AF_UNIX, type, 0, &ends) == 0)
        defer { close(ends[0]) }
        let folder = "/tmp/fupin-pg-fd-\(getpid())"
        let started = try Self.script(["start", folder], inherited: ends[1])
        defer { _ = try? Self.script(["stop", folder], inherited: 2) }
        close(ends[1])
        try #require(started == 0, "pg-test-server start exited with \(started)")
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        var byte: UInt8 = 0
        let read = Glibc.read(ends[0], &byte, 1)
        #expect(read == 0, "the server holds a socket its starter had open (read gave \(read), errno \(errno))")
    }
}
