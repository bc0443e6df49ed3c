import TongxinMessages
import TongxinRPC

/// What a company record must satisfy.
enum CompanyRules {
  typealias Company = Tongxin_Membership_Company

  /// `company` with its text trimmed; INVALID_ARGUMENT naming the first field at fault.
  /// Fields are named as in the request (`company.name`), so a form can point at them.
  static func normalized(_ company: Company?) throws -> Company {
    guard let company else { throw FieldError.invalid("company", "is required") }
    var result = company
    result.name = try Validation.required(company.name, "company.name", maxLength: 100)
    result.unit = try Validation.optional(company.unit, "company.unit", maxLength: 100)
    if let code = company.stockCode {
      let trimmed = code.trimmingCharacters(in: .whitespaces)
      // Codes of the exchanges the tower's companies list on: 002421 (Shenzhen), 0700 (Hong
      // Kong), BIDU (Nasdaq), 688001.SH.
      let allowed = trimmed.unicodeScalars.allSatisfy {
        ("0"..."9").contains($0) || ("A"..."Z").contains($0) || $0 == "."
      }
      guard (1...10).contains(trimmed.count), allowed else {
        throw FieldError.invalid(
          "company.stock_code",
          "\"\(code)\" is not a stock code: 1 to 10 digits, capital letters or dots, e.g. 002421")
      }
      result.stockCode = trimmed
    }
    return result
  }
}
