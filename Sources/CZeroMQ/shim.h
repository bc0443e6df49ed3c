// libzmq from Debian's libzmq3-dev. No pkg-config: libzmq.pc carries -isystem flags that
// SwiftPM rejects, and the header is on the default include path.
#include <zmq.h>

#include <sys/prctl.h>

// Names the calling thread, as PollLoop's threads do. glibc declares pthread_setname_np only
// under _GNU_SOURCE, which Swift's Glibc module leaves out, and prctl is variadic, which Swift
// cannot call: hence this wrapper. Linux keeps the first 15 bytes.
static inline int tongxin_name_this_thread(const char *name) {
  return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#include <sched.h>

// Sets the calling thread's policy (Linux: pid 0 is the calling thread) to SCHED_BATCH when
// `batch` is non-zero, else to SCHED_OTHER; returns 0 or -1. SCHED_BATCH, like
// pthread_setname_np, is declared only under _GNU_SOURCE: its value is Linux's.
static inline int tongxin_schedule_this_thread(int batch) {
  struct sched_param param = {0};
  return sched_setscheduler(0, batch ? 3 : SCHED_OTHER, &param);
}

// The calling thread's policy: 1 for SCHED_BATCH, 0 for SCHED_OTHER, -1 for anything else.
static inline int tongxin_this_thread_is_batch(void) {
  int policy = sched_getscheduler(0);
  return policy == 3 ? 1 : policy == SCHED_OTHER ? 0 : -1;
}
