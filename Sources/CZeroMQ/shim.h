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
