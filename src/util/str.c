/* str: bounded string helpers, escaping of untrusted text, string vectors. */
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *
str_escape(const void *data, size_t len, size_t max_out)
{
	const unsigned char *p = data;
	size_t i, o = 0, cap = (len < max_out ? len : max_out) * 4 + 4;
	char *out = xmalloc(cap + 1);
	static const char hex[] = "0123456789abcdef";

	for (i = 0; i < len; i++) {
		char tmp[4];
		size_t n;

		switch (p[i]) {
		case '\\': tmp[0] = '\\'; tmp[1] = '\\'; n = 2; break;
		case '\t': tmp[0] = '\\'; tmp[1] = 't'; n = 2; break;
		case '\r': tmp[0] = '\\'; tmp[1] = 'r'; n = 2; break;
		case '\n': tmp[0] = '\\'; tmp[1] = 'n'; n = 2; break;
		default:
			if (p[i] >= 0x20 && p[i] < 0x7f) {
				tmp[0] = (char)p[i];
				n = 1;
			} else {
				tmp[0] = '\\';
				tmp[1] = 'x';
				tmp[2] = hex[p[i] >> 4];
				tmp[3] = hex[p[i] & 15];
				n = 4;
			}
		}
		if (o + n > max_out || o + n > cap) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

size_t
str_copy(char *dst, const char *src, size_t dstsize)
{
	size_t len = strlen(src);

	if (dstsize > 0) {
		size_t n = len < dstsize - 1 ? len : dstsize - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
str_to_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void
str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

bool
str_has_suffix_ci(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

void
str_trim_dot(char *s)
{
	size_t n = strlen(s);

	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
}

void
strvec_add_owned(struct strvec *sv, char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
}

void
strvec_add(struct strvec *sv, const char *s)
{
	strvec_add_owned(sv, xstrdup(s));
}

bool
strvec_contains_ci(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcasecmp(sv->v[i], s) == 0)
			return true;
	return false;
}

void
strvec_clear(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

char *
str_printable(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;
	char *out;

	len = strnlen(s, len);
	out = xmalloc(len * 4 + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			out[n++] = (char)c;
		else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
	return out;
}

char *
str_trim_space(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}
