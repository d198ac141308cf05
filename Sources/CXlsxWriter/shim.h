// libxlsxwriter as Debian installs it (libxlsxwriter-dev; pkg-config xlsxwriter).
#include <xlsxwriter.h>
