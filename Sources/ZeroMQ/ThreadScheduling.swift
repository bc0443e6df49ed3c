import CZeroMQ
import Glibc

/// How Linux schedules a `PollLoop`'s thread.
///
/// Why batch by default: a thread that Linux wakes normally preempts the thread running on its
/// processor. The loops and libzmq's I/O threads wake one another for every burst of messages,
/// so each preempted the other in the middle of its burst: the burst then left in pieces, each
/// piece woke the other side again, and on this project's 2-processor VMs a switch costs tens
/// of microseconds. With its loop threads at SCHED_BATCH, `tongxin bench` measured the
/// gateway's path at 24 µs of CPU per call instead of 33, a quarter more calls per second and
/// a sixth off the sequential p50 (README, "Benchmark"). A batch thread has the same share of the
/// processors; it just does not preempt when it wakes: it runs on an idle processor at once,
/// or once the running thread blocks or uses up its slice. On a host whose processors are all
/// busy, that can add up to a slice (a few milliseconds) to a message's wait; set
/// `TONGXIN_LOOP_SCHEDULING=normal` to trade the throughput back for it.
///
/// Threads a loop thread starts inherit its scheduling. That includes libzmq's I/O threads,
/// which a context starts with its first socket, made on a loop thread in Tongxin's processes:
/// those are the threads the loops wake and are woken by.
public enum ThreadScheduling: String, Sendable {
  /// SCHED_OTHER: Linux's default.
  case normal
  /// SCHED_BATCH: waking up does not preempt the running thread.
  case batch

  /// What loops use unless told otherwise: `TONGXIN_LOOP_SCHEDULING` (`normal` or `batch`),
  /// else `batch`.
  public static let processDefault = ThreadScheduling(
    environment: getenv("TONGXIN_LOOP_SCHEDULING").map { String(cString: $0) })

  /// The scheduling an environment value names, in any case; `batch` for nil or anything
  /// else (the gateway logs what its loop got).
  init(environment value: String?) {
    self = value.flatMap { ThreadScheduling(rawValue: $0.lowercased()) } ?? .batch
  }

  /// The calling thread's scheduling, nil for another policy (real-time, SCHED_IDLE).
  public static var ofThisThread: ThreadScheduling? {
    switch tongxin_this_thread_is_batch() {
    case 1: .batch
    case 0: .normal
    default: nil
    }
  }

  /// Applies it to the calling thread. A refusal (a sandbox that forbids `sched_setscheduler`,
  /// say) leaves the thread as it was, which only costs speed: `ofThisThread` tells.
  func applyToThisThread() {
    _ = tongxin_schedule_this_thread(self == .batch ? 1 : 0)
  }
}
