import TongxinMessages
import TongxinRPC

// Every method of the membership and reception protocols answers UNIMPLEMENTED unless a test
// service implements it: the tests serve the real protocols on real sockets, with only the
// methods events calls.

extension Tongxin_Membership_Membership.ServiceProtocol {
  func createCompany(_ request: Tongxin_Membership_CreateCompanyRequest, context: ServerContext) async throws -> Tongxin_Membership_Company {
    throw RPCError(code: .unimplemented, message: "createCompany is not served in this test")
  }
  func updateCompany(_ request: Tongxin_Membership_UpdateCompanyRequest, context: ServerContext) async throws -> Tongxin_Membership_Company {
    throw RPCError(code: .unimplemented, message: "updateCompany is not served in this test")
  }
  func getCompany(_ request: Tongxin_Membership_GetCompanyRequest, context: ServerContext) async throws -> Tongxin_Membership_Company {
    throw RPCError(code: .unimplemented, message: "getCompany is not served in this test")
  }
  func listCompanies(_ request: Tongxin_Membership_ListCompaniesRequest, context: ServerContext) async throws -> Tongxin_Membership_ListCompaniesResponse {
    throw RPCError(code: .unimplemented, message: "listCompanies is not served in this test")
  }
  func createPerson(_ request: Tongxin_Membership_CreatePersonRequest, context: ServerContext) async throws -> Tongxin_Membership_Person {
    throw RPCError(code: .unimplemented, message: "createPerson is not served in this test")
  }
  func updatePerson(_ request: Tongxin_Membership_UpdatePersonRequest, context: ServerContext) async throws -> Tongxin_Membership_Person {
    throw RPCError(code: .unimplemented, message: "updatePerson is not served in this test")
  }
  func getPerson(_ request: Tongxin_Membership_GetPersonRequest, context: ServerContext) async throws -> Tongxin_Membership_GetPersonResponse {
    throw RPCError(code: .unimplemented, message: "getPerson is not served in this test")
  }
  func listAssociations(_ request: Tongxin_Membership_ListAssociationsRequest, context: ServerContext) async throws -> Tongxin_Membership_ListAssociationsResponse {
    throw RPCError(code: .unimplemented, message: "listAssociations is not served in this test")
  }
  func joinAssociation(_ request: Tongxin_Membership_JoinAssociationRequest, context: ServerContext) async throws -> Tongxin_Membership_MembershipRecord {
    throw RPCError(code: .unimplemented, message: "joinAssociation is not served in this test")
  }
  func changePost(_ request: Tongxin_Membership_ChangePostRequest, context: ServerContext) async throws -> Tongxin_Membership_MembershipRecord {
    throw RPCError(code: .unimplemented, message: "changePost is not served in this test")
  }
  func changeStatus(_ request: Tongxin_Membership_ChangeStatusRequest, context: ServerContext) async throws -> Tongxin_Membership_MembershipRecord {
    throw RPCError(code: .unimplemented, message: "changeStatus is not served in this test")
  }
  func listMembers(_ request: Tongxin_Membership_ListMembersRequest, context: ServerContext) async throws -> Tongxin_Membership_ListMembersResponse {
    throw RPCError(code: .unimplemented, message: "listMembers is not served in this test")
  }
  func searchDirectory(_ request: Tongxin_Membership_SearchDirectoryRequest, context: ServerContext) async throws -> Tongxin_Membership_SearchDirectoryResponse {
    throw RPCError(code: .unimplemented, message: "searchDirectory is not served in this test")
  }
  func getStatistics(_ request: Tongxin_Membership_GetStatisticsRequest, context: ServerContext) async throws -> Tongxin_Membership_GetStatisticsResponse {
    throw RPCError(code: .unimplemented, message: "getStatistics is not served in this test")
  }
  func getPersonHistory(_ request: Tongxin_Membership_GetPersonHistoryRequest, context: ServerContext) async throws -> Tongxin_Membership_GetPersonHistoryResponse {
    throw RPCError(code: .unimplemented, message: "getPersonHistory is not served in this test")
  }
  func createRecommendation(_ request: Tongxin_Membership_CreateRecommendationRequest, context: ServerContext) async throws -> Tongxin_Membership_Recommendation {
    throw RPCError(code: .unimplemented, message: "createRecommendation is not served in this test")
  }
  func advanceRecommendation(_ request: Tongxin_Membership_AdvanceRecommendationRequest, context: ServerContext) async throws -> Tongxin_Membership_Recommendation {
    throw RPCError(code: .unimplemented, message: "advanceRecommendation is not served in this test")
  }
  func getRecommendation(_ request: Tongxin_Membership_GetRecommendationRequest, context: ServerContext) async throws -> Tongxin_Membership_Recommendation {
    throw RPCError(code: .unimplemented, message: "getRecommendation is not served in this test")
  }
  func listRecommendations(_ request: Tongxin_Membership_ListRecommendationsRequest, context: ServerContext) async throws -> Tongxin_Membership_ListRecommendationsResponse {
    throw RPCError(code: .unimplemented, message: "listRecommendations is not served in this test")
  }
}

extension Tongxin_Reception_Reception.ServiceProtocol {
  func getBaseProfile(_ request: Tongxin_Reception_GetBaseProfileRequest, context: ServerContext) async throws -> Tongxin_Reception_BaseProfile {
    throw RPCError(code: .unimplemented, message: "getBaseProfile is not served in this test")
  }
  func listRooms(_ request: Tongxin_Reception_ListRoomsRequest, context: ServerContext) async throws -> Tongxin_Reception_ListRoomsResponse {
    throw RPCError(code: .unimplemented, message: "listRooms is not served in this test")
  }
  func reserveRoom(_ request: Tongxin_Reception_ReserveRoomRequest, context: ServerContext) async throws -> Tongxin_Reception_Booking {
    throw RPCError(code: .unimplemented, message: "reserveRoom is not served in this test")
  }
  func moveBooking(_ request: Tongxin_Reception_MoveBookingRequest, context: ServerContext) async throws -> Tongxin_Reception_Booking {
    throw RPCError(code: .unimplemented, message: "moveBooking is not served in this test")
  }
  func releaseBooking(_ request: Tongxin_Reception_ReleaseBookingRequest, context: ServerContext) async throws -> Tongxin_Reception_Booking {
    throw RPCError(code: .unimplemented, message: "releaseBooking is not served in this test")
  }
  func getBooking(_ request: Tongxin_Reception_GetBookingRequest, context: ServerContext) async throws -> Tongxin_Reception_Booking {
    throw RPCError(code: .unimplemented, message: "getBooking is not served in this test")
  }
  func listBookings(_ request: Tongxin_Reception_ListBookingsRequest, context: ServerContext) async throws -> Tongxin_Reception_ListBookingsResponse {
    throw RPCError(code: .unimplemented, message: "listBookings is not served in this test")
  }
  func getAvailability(_ request: Tongxin_Reception_GetAvailabilityRequest, context: ServerContext) async throws -> Tongxin_Reception_GetAvailabilityResponse {
    throw RPCError(code: .unimplemented, message: "getAvailability is not served in this test")
  }
  func createDelegation(_ request: Tongxin_Reception_CreateDelegationRequest, context: ServerContext) async throws -> Tongxin_Reception_Delegation {
    throw RPCError(code: .unimplemented, message: "createDelegation is not served in this test")
  }
  func updateDelegation(_ request: Tongxin_Reception_UpdateDelegationRequest, context: ServerContext) async throws -> Tongxin_Reception_Delegation {
    throw RPCError(code: .unimplemented, message: "updateDelegation is not served in this test")
  }
  func setDelegationStatus(_ request: Tongxin_Reception_SetDelegationStatusRequest, context: ServerContext) async throws -> Tongxin_Reception_Delegation {
    throw RPCError(code: .unimplemented, message: "setDelegationStatus is not served in this test")
  }
  func getDelegation(_ request: Tongxin_Reception_GetDelegationRequest, context: ServerContext) async throws -> Tongxin_Reception_Delegation {
    throw RPCError(code: .unimplemented, message: "getDelegation is not served in this test")
  }
  func listDelegations(_ request: Tongxin_Reception_ListDelegationsRequest, context: ServerContext) async throws -> Tongxin_Reception_ListDelegationsResponse {
    throw RPCError(code: .unimplemented, message: "listDelegations is not served in this test")
  }
  func addVisitors(_ request: Tongxin_Reception_AddVisitorsRequest, context: ServerContext) async throws -> Tongxin_Reception_AddVisitorsResponse {
    throw RPCError(code: .unimplemented, message: "addVisitors is not served in this test")
  }
  func checkInVisitors(_ request: Tongxin_Reception_CheckVisitorsRequest, context: ServerContext) async throws -> Tongxin_Reception_CheckVisitorsResponse {
    throw RPCError(code: .unimplemented, message: "checkInVisitors is not served in this test")
  }
  func checkOutVisitors(_ request: Tongxin_Reception_CheckVisitorsRequest, context: ServerContext) async throws -> Tongxin_Reception_CheckVisitorsResponse {
    throw RPCError(code: .unimplemented, message: "checkOutVisitors is not served in this test")
  }
  func listVisitors(_ request: Tongxin_Reception_ListVisitorsRequest, context: ServerContext) async throws -> Tongxin_Reception_ListVisitorsResponse {
    throw RPCError(code: .unimplemented, message: "listVisitors is not served in this test")
  }
  func getStatistics(_ request: Tongxin_Reception_GetStatisticsRequest, context: ServerContext) async throws -> Tongxin_Reception_Statistics {
    throw RPCError(code: .unimplemented, message: "getStatistics is not served in this test")
  }
}
