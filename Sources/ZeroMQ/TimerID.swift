/// Identifies a timer scheduled on a `PollLoop`, to cancel it.
public struct TimerID: Hashable, Sendable {
  let rawValue: UInt64
}
