import TongxinMessages
import TongxinRPC

/// Who registers, checked: a member of the membership service or a guest.
enum Attendee: Hashable, Sendable {
  case member(String)
  case guest(name: String, organisation: String)

  /// One key per person per event: a second live registration of the same key is refused.
  var key: String {
    switch self {
    case .member(let id): "m:\(id)"
    // U+001F (unit separator) cannot appear in checked names, so keys never collide.
    case .guest(let name, let organisation): "g:\(name)\u{1F}\(organisation)"
    }
  }

  var message: Tongxin_Events_Attendee {
    var attendee = Tongxin_Events_Attendee()
    switch self {
    case .member(let id): attendee.attendee = .memberID(id)
    case .guest(let name, let organisation):
      var guest = Tongxin_Events_Guest()
      guest.name = name
      guest.organisation = organisation
      attendee.attendee = .guest(guest)
    }
    return attendee
  }

  static func parse(_ attendee: Tongxin_Events_Attendee?, _ field: String = "attendee") throws
    -> Attendee
  {
    switch attendee?.attendee {
    case .memberID(let id)?:
      let trimmed = id.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { throw FieldError.invalid("\(field).member_id", "is required") }
      guard trimmed.count <= 64 else {
        throw FieldError.invalid("\(field).member_id", "is not a member id")
      }
      return .member(trimmed)
    case .guest(let guest)?:
      return .guest(
        name: try Validation.required(guest.name, "\(field).guest.name", maxLength: 50),
        organisation: try Validation.optional(
          guest.organisation, "\(field).guest.organisation", maxLength: 100))
    case nil:
      throw FieldError.invalid(field, "is required: a member_id or a guest")
    }
  }
}
