extension PollLoop: TaskExecutor {
  /// Runs a task's job on the loop thread.
  ///
  /// Tasks that prefer this executor (`Task(executorPreference:)`,
  /// `withTaskExecutorPreference`) run between polls on the loop thread, so code that
  /// talks to the loop's sockets does so without a thread hand-off. Such tasks must not block.
  /// Once the loop has ended, jobs go to the global executor instead of being lost.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    if !execute(job: job) { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
  }

  /// Runs `work` now when called on the loop thread, else queues it with `execute`; false,
  /// dropping `work` unrun, if the loop has ended.
  @discardableResult
  public func executeSoon(_ work: sending @escaping () -> Void) -> Bool {
    if isOnLoopThread {
      work()
      return true
    }
    return execute(work)
  }
}
