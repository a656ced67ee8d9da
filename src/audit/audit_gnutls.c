/* audit_gnutls: placeholder. */
#include "audit/audit.h"
