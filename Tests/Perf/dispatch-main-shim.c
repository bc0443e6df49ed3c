// LD_PRELOAD: drive the main queue from the main thread instead of dispatch_main's
// pthread_exit + sigsuspend, which valgrind 3.19 crashes on.
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
extern int _dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *);
void dispatch_main(void) {
  int fd = _dispatch_get_main_queue_handle_4CF();
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    poll(&p, 1, -1);
    uint64_t v; (void)read(fd, &v, 8);
    _dispatch_main_queue_callback_4CF(0);
  }
}
