// The fixtures that start the real system inside a test live here (issue: the whole system).
