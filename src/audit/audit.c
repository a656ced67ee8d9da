/* audit: the configuration model's constructors and small helpers. */
#include "audit/audit.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define AUDIT_STR_MAX	4096	/* bytes kept of one name, value or origin */

static const char *const mta_names[] = {
	[AUDIT_POSTFIX] = "postfix",
	[AUDIT_EXIM] = "exim",
	[AUDIT_SENDMAIL] = "sendmail",
	[AUDIT_SCHANNEL] = "schannel",
};

const char *
audit_mta_name(enum audit_mta m)
{
	if ((unsigned)m >= sizeof(mta_names) / sizeof(mta_names[0]))
		return "?";
	return mta_names[m];
}

int
audit_mta_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof(mta_names) / sizeof(mta_names[0]); i++)
		if (strcasecmp(s, mta_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
audit_tls_use_name(enum audit_tls_use u)
{
	switch (u) {
	case AUDIT_TLS_OFF:		return "off";
	case AUDIT_TLS_OPPORTUNISTIC:	return "opportunistic";
	case AUDIT_TLS_MANDATORY:	return "mandatory";
	case AUDIT_TLS_UNKNOWN:		break;
	}
	return "unknown";
}

/* Configuration text is shown as it is, backslashes included (registry
 * paths, Exim expansions); only bytes outside printable ASCII become
 * \\xNN, and the result is cut at AUDIT_STR_MAX. */
static char *
esc(const char *s)
{
	return s != NULL ? str_printable(s, AUDIT_STR_MAX) : NULL;
}

/* Paths are kept as they are: they are opened.  Renderers escape them. */
static char *
raw(const char *s)
{
	return s != NULL ? xstrndup(s, AUDIT_STR_MAX) : NULL;
}

struct audit_result *
audit_result_new(enum audit_mta mta)
{
	struct audit_result *a = xcalloc(1, sizeof(*a));

	a->mta = mta;
	return a;
}

static void
cert_clear(struct audit_cert *c)
{
	free(c->key_file);
	free(c->cert_file);
	free(c->from);
	memset(c, 0, sizeof(*c));
}

static void
side_clear(struct audit_side *s)
{
	size_t i;

	free(s->use_from);
	free(s->versions_from);
	free(s->suites);
	free(s->suites13);
	free(s->suites_from);
	free(s->sni);
	free(s->ca_file);
	free(s->verdict);
	for (i = 0; i < s->ncerts; i++)
		cert_clear(&s->certs[i]);
	for (i = 0; i < s->ncerts_sni; i++)
		cert_clear(&s->certs_sni[i]);
	memset(s, 0, sizeof(*s));
}

void
audit_result_free(struct audit_result *a)
{
	size_t i;

	if (a == NULL)
		return;
	free(a->source);
	free(a->mta_version);
	free(a->tls_library);
	free(a->tls_library_from);
	free(a->hostname);
	for (i = 0; i < a->nsettings; i++) {
		free(a->settings[i].name);
		free(a->settings[i].value);
		free(a->settings[i].origin);
	}
	free(a->settings);
	side_clear(&a->client);
	side_clear(&a->server);
	free(a);
}

void
audit_setting_add(struct audit_result *a, const char *name, const char *value,
    const char *origin)
{
	struct audit_setting *s;

	if (a->nsettings >= AUDIT_SETTINGS_MAX || name == NULL)
		return;
	a->settings = xreallocarray(a->settings, a->nsettings + 1,
	    sizeof(*a->settings));
	s = &a->settings[a->nsettings++];
	s->name = esc(name);
	s->value = esc(value != NULL ? value : "");
	s->origin = esc(origin);
}

const struct audit_setting *
audit_setting_get(const struct audit_result *a, const char *name)
{
	size_t i;

	for (i = a->nsettings; i > 0; i--)
		if (strcmp(a->settings[i - 1].name, name) == 0)
			return &a->settings[i - 1];
	return NULL;
}

void
audit_side_set_suites(struct audit_side *s, const uint16_t *v, size_t n,
    const uint16_t *v13, size_t n13)
{
	free(s->suites);
	free(s->suites13);
	s->suites = NULL;
	s->suites13 = NULL;
	s->nsuites = s->nsuites13 = 0;
	if (n > 0) {
		s->suites = xreallocarray(NULL, n, sizeof(*v));
		memcpy(s->suites, v, n * sizeof(*v));
		s->nsuites = n;
	}
	if (n13 > 0) {
		s->suites13 = xreallocarray(NULL, n13, sizeof(*v13));
		memcpy(s->suites13, v13, n13 * sizeof(*v13));
		s->nsuites13 = n13;
	}
}

static void
cert_add(struct audit_cert *arr, size_t *n, const char *key_file,
    const char *cert_file, const char *from)
{
	if (*n >= AUDIT_CERTS_MAX)
		return;
	arr[*n].key_file = raw(key_file);
	arr[*n].cert_file = raw(cert_file);
	arr[*n].from = esc(from);
	(*n)++;
}

void
audit_side_add_cert(struct audit_side *s, const char *key_file,
    const char *cert_file, const char *from)
{
	cert_add(s->certs, &s->ncerts, key_file, cert_file, from);
}

void
audit_side_add_cert_sni(struct audit_side *s, const char *key_file,
    const char *cert_file, const char *from)
{
	cert_add(s->certs_sni, &s->ncerts_sni, key_file, cert_file, from);
}

int
audit_read_text(const char *path, char **data, size_t *len, char *why,
    size_t whysize)
{
	struct stat st;
	size_t n = 0, want;
	ssize_t k;
	char *b;
	int fd;

	/* O_NONBLOCK: a FIFO given as a config file must not hang us. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1) {
		snprintf(why, whysize, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, whysize, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size > AUDIT_FILE_MAX) {
		snprintf(why, whysize, "larger than %d bytes", AUDIT_FILE_MAX);
		close(fd);
		return -1;
	}
	want = (size_t)st.st_size;
	b = xmalloc(want + 1);
	while (n < want && (k = read(fd, b + n, want - n)) > 0)
		n += (size_t)k;
	close(fd);
	if (memchr(b, '\0', n) != NULL) {
		snprintf(why, whysize, "not a text file (NUL bytes)");
		free(b);
		return -1;
	}
	b[n] = '\0';
	*data = b;
	*len = n;
	return 0;
}
