import Foundation
import TongxinMessages
import TongxinRPC

/// What a person record must satisfy.
enum PersonRules {
  typealias Person = Tongxin_Membership_Person

  static let maxTags = 20

  /// `person` with its text trimmed and tags cleaned; INVALID_ARGUMENT naming the first field
  /// at fault (`person.name`, `person.tags[2]`, …). Whether the company exists is checked
  /// against the database by the caller.
  static func normalized(_ person: Person?) throws -> Person {
    guard let person else { throw FieldError.invalid("person", "is required") }
    var result = person
    result.name = try Validation.required(person.name, "person.name", maxLength: 50)
    result.companyID = person.companyID.trimmingCharacters(in: .whitespaces)
    result.companyPost = try Validation.optional(
      person.companyPost, "person.company_post", maxLength: 50)
    result.titleLevel = try Validation.required(person.titleLevel, "person.title_level")
    result.category = try Validation.required(person.category, "person.category")
    result.politicalAffiliation = try Validation.known(
      person.politicalAffiliation, "person.political_affiliation")
    result.tags = try tags(person.tags)
    result.contact = try contact(person.contact)
    return result
  }

  private static func tags(_ tags: [String]) throws -> [String] {
    guard tags.count <= maxTags else {
      throw FieldError.invalid(
        "person.tags", "has \(tags.count) tags; at most \(maxTags) are allowed")
    }
    var seen = Set<String>()
    return try tags.enumerated().map { index, tag in
      let field = "person.tags[\(index)]"
      let cleaned = try Validation.required(tag, field, maxLength: 30)
      guard seen.insert(cleaned).inserted else {
        throw FieldError.invalid(field, "\"\(cleaned)\" is given twice")
      }
      return cleaned
    }
  }

  private static func contact(_ contact: Tongxin_Membership_Contact?) throws
    -> Tongxin_Membership_Contact?
  {
    guard var contact else { return nil }
    contact.phone = try Validation.optional(contact.phone, "person.contact.phone", maxLength: 20)
    if !contact.phone.isEmpty {
      let allowed = contact.phone.unicodeScalars.allSatisfy {
        "0123456789+-() ".unicodeScalars.contains($0)
      }
      let digits = contact.phone.filter(\.isASCII).filter(\.isNumber).count
      guard allowed, digits >= 5 else {
        throw FieldError.invalid(
          "person.contact.phone",
          "\"\(contact.phone)\" is not a phone number: at least 5 digits, with only spaces, "
            + "+, -, ( and ) besides")
      }
    }
    contact.email = try Validation.optional(contact.email, "person.contact.email", maxLength: 100)
    if !contact.email.isEmpty {
      let parts = contact.email.split(separator: "@", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
        !contact.email.contains(" ")
      else {
        throw FieldError.invalid(
          "person.contact.email", "\"\(contact.email)\" is not an e-mail address")
      }
    }
    return contact.phone.isEmpty && contact.email.isEmpty ? nil : contact
  }
}
