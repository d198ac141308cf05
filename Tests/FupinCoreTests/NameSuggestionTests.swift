import FupinCore
import Testing

/// The "did you mean" of unknown field and collection names.
@Suite struct NameSuggestionTests {
    let households = ["id", "number", "head_name", "head_id_number", "village_id", "status", "year_exited"]

    @Test func findsTyposOfWholeNamesAndOfParts() {
        #expect(NameSuggestion.closest(to: "nmae", among: households) == "head_name")  // a swap in a part
        #expect(NameSuggestion.closest(to: "vilage_id", among: households) == "village_id")
        #expect(NameSuggestion.closest(to: "stauts", among: households) == "status")
        #expect(NameSuggestion.closest(to: "STATUS", among: households) == "status")
        #expect(NameSuggestion.closest(to: "visit", among: ["villages", "visits", "funds"]) == "visits")
    }

    @Test func offersNothingWhenNothingIsClose() {
        #expect(NameSuggestion.closest(to: "zzz", among: households) == nil)
        #expect(NameSuggestion.closest(to: "phone", among: households) == nil)
        #expect(NameSuggestion.closest(to: "", among: households) == nil)
        #expect(NameSuggestion.closest(to: "status", among: ["status"]) == nil)  // the name itself is no suggestion
    }

    @Test func aWholeNameBeatsAPartAtTheSameDistance() {
        #expect(NameSuggestion.closest(to: "nam", among: ["head_name", "name"]) == "name")
    }
}
