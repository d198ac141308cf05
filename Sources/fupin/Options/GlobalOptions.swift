/// The options every command shares (`--workspace DIR`, `--operator NAME`) may come before
/// the command's name, as `git -C DIR status` or `kubectl -n NS get` allow:
/// `fupin --workspace DIR eval 'return 1'` is read as `fupin eval --workspace DIR 'return 1'`.
///
/// ArgumentParser reads a subcommand's options only after its name, so the words are put in
/// that order before it sees them. Plugin commands read the shared options anywhere
/// (`PluginCommandLine`), so their words are left alone.
enum GlobalOptions {
    /// Options that take a value and belong to every command.
    static let names: Set<String> = ["--workspace", "--operator"]

    /// `words` (the arguments without the program) with the shared options that come before
    /// a built-in command's name moved just after it (and after its subcommand's name, for the
    /// commands in `nested`: each with its subcommands' names and aliases).
    ///
    /// Example: `["--workspace", "w", "eval", "1"]` → `["eval", "--workspace", "w", "1"]`.
    static func reorder(
        _ words: [String], builtins: Set<String>, nested: @autoclosure () -> [String: Set<String>] = [:]
    ) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            if names.contains(word), i + 1 < words.count {
                leading += [word, words[i + 1]]
                i += 2
            } else if let eq = word.firstIndex(of: "="), names.contains(String(word[..<eq])) {
                leading.append(word)
                i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < words.count else { return words }
        // Help does not need a workspace: `fupin --workspace w help eval` is `fupin help eval`.
        if ["help", "--help", "-h"].contains(words[i]) { return Array(words[i...]) }
        guard builtins.contains(words[i]) else { return words }
        var command = [words[i]]
        i += 1
        // Worked out only here, where options came first: a start-up without them pays nothing.
        if let inner = nested()[command[0]], i < words.count, inner.contains(words[i]) {
            command.append(words[i])
            i += 1
        }
        return command + leading + words[i...]
    }
}
