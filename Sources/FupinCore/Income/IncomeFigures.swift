/// The derived income figures of one household for one year, computed from its valid income
/// lines, its members and the year's poverty line (data in `poverty_lines`, never a constant).
///
/// - total income: every valid income line's amount, except the subsidies in
///   `Vocabularies.excludedFromExitIncome` (education, medical, housing), which are reported
///   apart as `excludedSubsidies`;
/// - production costs: the sum of the lines' `cost`;
/// - net income (纯收入) = total − costs;
/// - per-capita net income (人均纯收入) = net / people, rounded half away from zero to the fen,
///   where people is the count of the household's **valid members**, falling back to the
///   household's `size` when it has no valid member (`peopleSource` says which);
/// - above the line when per-capita net income is strictly greater than the year's line;
/// - monitoring band = factor × line (factor from settings, default 1.5), rounded to the fen;
///   within the band when per-capita net income is below it.
///
/// Example: incomes 13,800 (wages) + 3,000 (farming, cost 1,000) for 4 members, line 3,218 →
/// net 15,800, per capita 3,950.00, above the line, band 4,827.00, within the band.
public struct IncomeFigures: Sendable, Hashable {
    public let householdID: Int64
    public let year: Int
    /// Income counted toward exit, by category (工资性, 生产经营性, 财产性, 转移性).
    public let byCategory: [String: Money]
    public let totalIncome: Money
    /// Education, medical and housing subsidies received (not counted).
    public let excludedSubsidies: Money
    public let productionCosts: Money
    public let netIncome: Money
    /// People the net income is divided by.
    public let people: Int
    public let peopleSource: PeopleSource
    /// nil when the household has no member and no size.
    public let perCapitaNetIncome: Money?
    /// nil when `poverty_lines` has no row for the year.
    public let povertyLine: Money?
    public let monitoringBand: Money?
    /// Per-capita net income > the line (nil when either is unknown).
    public let isAbovePovertyLine: Bool?
    /// Per-capita net income < the monitoring band (nil when either is unknown).
    public let isWithinMonitoringBand: Bool?

    /// Where the head count came from.
    public enum PeopleSource: String, Sendable, Hashable {
        case validMembers = "members"
        case householdSize = "size"
        case unknown
    }

    /// Computes the figures from sums (all amounts in fen).
    public init(
        householdID: Int64, year: Int, lines: [(category: String, subcategory: String?, amount: Int64, cost: Int64)],
        validMembers: Int, householdSize: Int?, povertyLine: Money?, bandFactorHundredths: Int64
    ) {
        self.householdID = householdID
        self.year = year
        var byCategory: [String: Money] = [:]
        var total: Int64 = 0
        var excluded: Int64 = 0
        var costs: Int64 = 0
        for line in lines {
            costs &+= line.cost
            if let sub = line.subcategory, Vocabularies.excludedFromExitIncome.contains(sub) {
                excluded &+= line.amount
                continue
            }
            total &+= line.amount
            byCategory[line.category, default: .zero] =
                byCategory[line.category, default: .zero] + Money(fen: line.amount)
        }
        self.byCategory = byCategory
        totalIncome = Money(fen: total)
        excludedSubsidies = Money(fen: excluded)
        productionCosts = Money(fen: costs)
        netIncome = Money(fen: total &- costs)
        if validMembers > 0 {
            people = validMembers
            peopleSource = .validMembers
        } else if let size = householdSize, size > 0 {
            people = size
            peopleSource = .householdSize
        } else {
            people = 0
            peopleSource = .unknown
        }
        perCapitaNetIncome = people > 0 ? Money(fen: IncomeFigures.divideRounded(total &- costs, Int64(people))) : nil
        self.povertyLine = povertyLine
        monitoringBand = povertyLine.map { line in
            let (product, overflow) = line.fen.multipliedReportingOverflow(by: bandFactorHundredths)
            return Money(fen: overflow ? Int64.max : IncomeFigures.divideRounded(product, 100))
        }
        if let perCapita = perCapitaNetIncome, let line = povertyLine {
            isAbovePovertyLine = perCapita > line
        } else {
            isAbovePovertyLine = nil
        }
        if let perCapita = perCapitaNetIncome, let band = monitoringBand {
            isWithinMonitoringBand = perCapita < band
        } else {
            isWithinMonitoringBand = nil
        }
    }

    /// a / b rounded half away from zero (b > 0).
    static func divideRounded(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        let remainder = a % b
        if 2 * abs(remainder) >= b { return quotient + (a < 0 ? -1 : 1) }
        return quotient
    }
}
