// libpq, PostgreSQL's reference client library, as Debian installs it (libpq-dev; pkg-config
// libpq). Only FupinCore imports this module (CONTRIBUTING.md "Layers").
#include <libpq-fe.h>
