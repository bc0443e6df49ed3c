// SQLite from Debian's libsqlite3-dev, for the gateway's audit log (the services use GRDB,
// which links the same library). The header is on the default include path.
#include <sqlite3.h>
