// libzmq from Debian's libzmq3-dev. No pkg-config: libzmq.pc carries -isystem flags that
// SwiftPM rejects, and the header is on the default include path.
#include <zmq.h>
