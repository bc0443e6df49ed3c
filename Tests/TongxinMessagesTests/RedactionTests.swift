import Foundation
import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

/// A person with every personal field set, as membership's GetPerson answers it.
func personWithPersonalData() -> Tongxin_Membership_Person {
  .with {
    $0.id = "per_1"
    $0.name = "王建华"
    $0.companyPost = "总工程师"
    $0.titleLevel = .senior
    $0.category = .nonPartyIntellectual
    $0.politicalAffiliation = .jiusan
    $0.tags = ["智慧建筑"]
    $0.contact = .with {
      $0.phone = "138 0755 0001"
      $0.email = "wang@example.com"
    }
    $0.version = 3
  }
}

@Suite("Generated redaction of fields marked (tongxin.personal)")
struct RedactionTests {
  @Test("a sample's personal fields are redacted wherever they are held, the rest is kept")
  func sampleAtEveryDepth() throws {
    let original = fullSample()
    let redacted = original.redactingPersonalData()

    // What redaction must change, field by field; everything else must stay equal.
    var expected = original
    var inner = try #require(original.inner)
    inner.label = "[redacted]"
    expected.inner = inner
    expected.inners = [inner, Tongxin_Echo_Sample.Inner()]  // an empty label stays empty
    expected.innerByName = ["一": inner, "empty": Tongxin_Echo_Sample.Inner()]
    expected.choice = .choiceText("[redacted]")
    expected.maybeText = "[redacted]"
    expected.blobs = [Array("[redacted]".utf8), [], Array("[redacted]".utf8)]
    #expect(redacted == expected)
    #expect(redacted.text == original.text && redacted.inner?.rank == -3)
    #expect(redacted.inner?.tags == ["甲", "", "乙"], "tags are not personal")
  }

  @Test("a message held in a oneof is redacted through")
  func oneofMessage() {
    let sample = Tongxin_Echo_Sample.with {
      $0.choice = .choiceInner(.with { $0.label = "内层" })
    }
    let redacted = sample.redactingPersonalData()
    #expect(redacted.choice == .choiceInner(.with { $0.label = "[redacted]" }))
  }

  @Test("a person's contact details and affiliation read as redacted, not as missing")
  func person() {
    let person = personWithPersonalData()
    let redacted = person.redactingPersonalData()
    #expect(redacted.contact?.phone == "[redacted]")
    #expect(redacted.contact?.email == "[redacted]")
    #expect(redacted.politicalAffiliation == .redacted)
    var rest = redacted
    rest.contact = person.contact
    rest.politicalAffiliation = person.politicalAffiliation
    #expect(rest == person, "only the personal fields change")
  }

  @Test("responses that hold people in nested and repeated messages are redacted through")
  func nestedAndRepeated() {
    let person = personWithPersonalData()
    let got = Tongxin_Membership_GetPersonResponse.with {
      $0.person = person
      $0.memberships = [.with { $0.associationCode = "jiusan" }]
    }.redactingPersonalData()
    #expect(got.person?.contact?.phone == "[redacted]")
    #expect(got.memberships.first?.associationCode == "jiusan")

    let listed = Tongxin_Membership_ListMembersResponse.with {
      $0.members = [.with { $0.person = person }, .with { $0.person = person }]
      $0.total = 2
    }.redactingPersonalData()
    #expect(listed.members.map { $0.person?.politicalAffiliation } == [.redacted, .redacted])
    #expect(listed.total == 2)

    let profile = Tongxin_Aggregates_PersonProfile.with {
      $0.person = .with { $0.person = person }
      $0.delegationsHosted = [.with { $0.leadOfficial = "李明" }]
    }.redactingPersonalData()
    #expect(profile.person?.person?.contact?.email == "[redacted]")
    #expect(profile.person?.person?.name == "王建华", "names are not personal data")
    #expect(profile.delegationsHosted.first?.leadOfficial == "李明")

    let visitors = Tongxin_Reception_ListVisitorsResponse.with {
      $0.visitors = [
        .with {
          $0.name = "赵敏"
          $0.phone = "+86 139 0000 0000"
          $0.idNumber = "440301199001011234"
        },
        .with { $0.name = "已清除" },  // purged: phone and ID number already empty
      ]
    }.redactingPersonalData()
    #expect(visitors.visitors.map(\.phone) == ["[redacted]", ""])
    #expect(visitors.visitors.map(\.idNumber) == ["[redacted]", ""])
    #expect(visitors.visitors.map(\.name) == ["赵敏", "已清除"])
  }

  @Test("fields with nothing in them stay empty, and other messages stay as they are")
  func nothingToRedact() {
    let unrecorded = Tongxin_Membership_Person.with { $0.name = "李丽娟" }
    #expect(unrecorded.redactingPersonalData() == unrecorded)
    let company = Tongxin_Membership_Company.with { $0.name = "深圳达实智能股份有限公司" }
    #expect(company.redactingPersonalData() == company)
    let overview = Tongxin_Aggregates_BaseOverview.with {
      $0.upcomingEvents = [.with { $0.title = "学习交流座谈" }]
    }
    #expect(overview.redactingPersonalData() == overview)
  }

  @Test("redacted values survive protobuf-c and read plainly in JSON")
  func wireForm() throws {
    let redacted = personWithPersonalData().redactingPersonalData()
    #expect(try roundTrip(redacted) == redacted)
    let json = String(decoding: try JSONEncoder().encode(redacted), as: UTF8.self)
    #expect(json.contains(#""politicalAffiliation":"POLITICAL_AFFILIATION_REDACTED""#))
    #expect(json.contains(#""phone":"[redacted]""#))
  }

  @Test("a request carrying a redaction marker names the field")
  func markerPaths() {
    #expect(personWithPersonalData().redactionMarkerPath() == nil)
    let update = Tongxin_Membership_UpdatePersonRequest.with {
      $0.person = personWithPersonalData().redactingPersonalData()
    }
    #expect(update.redactionMarkerPath() == "person.political_affiliation")
    var phoneOnly = personWithPersonalData()
    phoneOnly.contact?.phone = "[redacted]"
    #expect(
      Tongxin_Membership_UpdatePersonRequest.with { $0.person = phoneOnly }.redactionMarkerPath()
        == "person.contact.phone")
    let visitors = Tongxin_Reception_AddVisitorsRequest.with {
      $0.visitors = [.with { $0.name = "赵敏" }, .with { $0.idNumber = "[redacted]" }]
    }
    #expect(visitors.redactionMarkerPath() == "visitors[1].id_number")
    let sample = Tongxin_Echo_Sample.with {
      $0.innerByName = ["b": .with { $0.label = "[redacted]" }, "a": .init()]
    }
    #expect(sample.redactionMarkerPath() == "inner_by_name[b].label")
    #expect(fullSample().redactionMarkerPath() == nil)
    #expect(fullSample().redactingPersonalData().redactionMarkerPath() != nil)
  }

  @Test("descriptions mark the personal fields for tools")
  func descriptions() throws {
    let membership = Tongxin_Membership_Membership.description
    func fields(_ message: String) -> [String: Bool] {
      let m = membership.messages.first { $0.name == message }
      return Dictionary(uniqueKeysWithValues: (m?.fields ?? []).map { ($0.name, $0.personal) })
    }
    #expect(fields("tongxin.membership.Contact") == ["phone": true, "email": true])
    let person = fields("tongxin.membership.Person")
    #expect(person["political_affiliation"] == true)
    #expect(person["name"] == false && person["contact"] == false)
    let echo = Tongxin_Echo_Echo.description
    let inner = try #require(echo.messages.first { $0.name == "tongxin.echo.Sample.Inner" })
    #expect(inner.fields.filter(\.personal).map(\.name) == ["label"])
  }
}
