/// The unified social credit code (统一社会信用代码, GB 32100-2015) of an organisation: 18
/// characters from the digits and the capitals without I, O, S, V and Z; the last is a check
/// character computed from the first 17 with the weights 3^(i-1) mod 31.
///
/// Example: `CreditCode.problem("91150602MA0N7X8R2L") == nil` when its check character fits.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The code with blanks removed and letters in capitals.
    public static func normalized(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace }).uppercased()
    }

    /// The check character for 17 characters, or nil when one is not allowed.
    public static func checkCharacter(_ first17: [Character]) -> Character? {
        guard first17.count == 17 else { return nil }
        var total = 0
        for (character, weight) in zip(first17, weights) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            total += value * weight
        }
        let check = (31 - total % 31) % 31
        return alphabet[check]
    }

    /// Why `code` is not a valid code, or nil when it is.
    public static func problem(_ code: String) -> String? {
        let characters = Array(code)
        guard characters.count == 18 else {
            return "has \(characters.count) characters; a unified social credit code has 18"
        }
        for (i, character) in characters.enumerated() where !alphabet.contains(character) {
            return "has '\(character)' at position \(i + 1) (allowed: digits and capitals except I, O, S, V, Z)"
        }
        guard let want = checkCharacter(Array(characters.prefix(17))) else {
            return "is not a unified social credit code"
        }
        if characters[17] != want { return "fails the check character (GB 32100-2015): the 18th should be \(want)" }
        return nil
    }
}
