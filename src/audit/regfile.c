/* regfile: a bounded parser for Windows registry export files (.reg). */
#include "audit/regfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REGFILE_HEADER5		"Windows Registry Editor Version 5.00"
#define REGFILE_HEADER4		"REGEDIT4"

/* A key line: created, or deleted ([-key]). */
struct regfile_key {
	char		*path;
	unsigned	 line;
	bool		 deleted;
};

struct regfile {
	int			 version;
	const char		*encoding;
	struct regfile_key	*keys;
	size_t			 nkeys;
	struct regfile_value	*values;
	size_t			 nvalues;
};

/* The text being parsed: UTF-8 (or ANSI), split into physical lines. */
struct cursor {
	const char	*text;
	size_t		 len;
	size_t		 pos;		/* start of the next physical line */
	unsigned	 lineno;	/* of the line last returned */
	const char	*name;
	char		*err;
};

static const struct {
	const char	*alias;
	const char	*root;
} roots[] = {
	{ "HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE" },
	{ "HKLM", "HKEY_LOCAL_MACHINE" },
	{ "HKEY_CURRENT_USER", "HKEY_CURRENT_USER" },
	{ "HKCU", "HKEY_CURRENT_USER" },
	{ "HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT" },
	{ "HKCR", "HKEY_CLASSES_ROOT" },
	{ "HKEY_USERS", "HKEY_USERS" },
	{ "HKU", "HKEY_USERS" },
	{ "HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG" },
	{ "HKCC", "HKEY_CURRENT_CONFIG" },
};

static void fail(struct cursor *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first error only, with the current line number. */
static void
fail(struct cursor *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->err != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->lineno > 0)
		c->err = xasprintf("%s:%u: %s", c->name, c->lineno, msg);
	else
		c->err = xasprintf("%s: %s", c->name, msg);
}

/*
 * Encoding.
 */

static size_t
utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* utf16_decode: n bytes of UTF-16LE into malloc'd UTF-8 (NUL-terminated,
 * *outlen without it).  NUL code units end an element: with nul_ok they
 * are copied as '\0' (multi-strings), otherwise they fail.  Returns -1 and
 * *bad (byte offset) on an odd length, an unpaired surrogate or a
 * forbidden NUL. */
static int
utf16_decode(const unsigned char *in, size_t n, bool nul_ok, char **out,
    size_t *outlen, size_t *bad)
{
	size_t i, o = 0;
	char *s;

	*out = NULL;
	if (n % 2 != 0) {
		*bad = n - 1;
		return -1;
	}
	s = xmalloc(n / 2 * 3 + 4);
	for (i = 0; i < n; i += 2) {
		uint32_t u = in[i] | (uint32_t)in[i + 1] << 8;

		if (u >= 0xd800 && u <= 0xdbff) {
			uint32_t l;

			if (i + 3 >= n)
				goto bad;
			l = in[i + 2] | (uint32_t)in[i + 3] << 8;
			if (l < 0xdc00 || l > 0xdfff)
				goto bad;
			u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
			i += 2;
		} else if (u >= 0xdc00 && u <= 0xdfff)
			goto bad;
		else if (u == 0 && !nul_ok)
			goto bad;
		o += utf8_put(s + o, u);
	}
	s[o] = '\0';
	*out = s;
	*outlen = o;
	return 0;
bad:
	free(s);
	*bad = i;
	return -1;
}

/* decode: the file's bytes as UTF-8/ANSI text; sets the encoding. */
static char *
decode(struct regfile *rf, struct cursor *c, const unsigned char *d,
    size_t n, size_t *outlen)
{
	char *text;
	size_t i, bad;

	if (n >= 2 && d[0] == 0xff && d[1] == 0xfe) {
		rf->encoding = "utf-16le";
		if (utf16_decode(d + 2, n - 2, false, &text, outlen, &bad)
		    == -1) {
			if ((n - 2) % 2 != 0)
				fail(c, "truncated UTF-16 file (odd number "
				    "of bytes)");
			else
				fail(c, "invalid UTF-16 (unpaired surrogate "
				    "or NUL) at byte %zu", bad + 2);
			return NULL;
		}
		return text;
	}
	if (n >= 2 && d[0] == 0xfe && d[1] == 0xff) {
		fail(c, "UTF-16 big-endian is not a format regedit writes");
		return NULL;
	}
	rf->encoding = "ascii";
	if (n >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
		rf->encoding = "utf-8";
		d += 3;
		n -= 3;
	}
	for (i = 0; i < n; i++) {
		if (d[i] == 0) {
			if (n >= 2 && d[1] == 0)
				fail(c, "UTF-16 text without a byte-order "
				    "mark (regedit needs FF FE)");
			else
				fail(c, "NUL byte at offset %zu: binary "
				    "data, not a .reg file", i);
			return NULL;
		}
		if (d[i] >= 0x80 && rf->encoding[0] == 'a')
			rf->encoding = "ansi";
	}
	text = xmalloc(n + 1);
	memcpy(text, d, n);
	text[n] = '\0';
	*outlen = n;
	return text;
}

/*
 * Lines.
 */

/* next_line: the next physical line without its CR LF, or NULL at the
 * end.  Fails (and returns NULL) for a line over REGFILE_LINE_MAX. */
static const char *
next_line(struct cursor *c, size_t *len)
{
	const char *s, *nl;
	size_t n;

	if (c->pos >= c->len || c->err != NULL)
		return NULL;
	s = c->text + c->pos;
	nl = memchr(s, '\n', c->len - c->pos);
	n = nl != NULL ? (size_t)(nl - s) : c->len - c->pos;
	c->pos += n + (nl != NULL ? 1 : 0);
	c->lineno++;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n > REGFILE_LINE_MAX) {
		fail(c, "line longer than %d bytes", REGFILE_LINE_MAX);
		return NULL;
	}
	*len = n;
	return s;
}

static bool
is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Keys.
 */

char *
regfile_key_normalise(const char *path)
{
	const char *rest;
	size_t i, rootlen, n;
	char *out;

	if (path == NULL)
		return NULL;
	rest = strchr(path, '\\');
	rootlen = rest != NULL ? (size_t)(rest - path) : strlen(path);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strlen(roots[i].alias) == rootlen &&
		    strncasecmp(path, roots[i].alias, rootlen) == 0)
			break;
	if (i == sizeof(roots) / sizeof(roots[0]))
		return NULL;
	if (rest == NULL)
		rest = "";
	n = strlen(rest);
	while (n > 0 && rest[n - 1] == '\\')
		n--;
	out = xmalloc(strlen(roots[i].root) + n + 1);
	memcpy(out, roots[i].root, strlen(roots[i].root));
	memcpy(out + strlen(roots[i].root), rest, n);
	out[strlen(roots[i].root) + n] = '\0';
	return out;
}

/* key_under: whether path is key itself (or below it, with sub). */
static bool
key_under(const char *path, const char *key, bool sub)
{
	size_t n = strlen(key);

	if (strncasecmp(path, key, n) != 0)
		return false;
	if (path[n] == '\0')
		return true;
	return sub && path[n] == '\\';
}

/* parse_key: "[path]" or "[-path]" from s (leading space skipped). */
static int
parse_key(struct regfile *rf, struct cursor *c, const char *s, size_t n)
{
	struct regfile_key *k;
	char *raw, *path;
	bool del = false;

	while (n > 0 && is_ws(s[n - 1]))
		n--;
	if (n < 2 || s[n - 1] != ']') {
		fail(c, "key line does not end in ']'");
		return -1;
	}
	s++;
	n -= 2;
	if (n > 0 && s[0] == '-') {
		del = true;
		s++;
		n--;
	}
	if (n == 0) {
		fail(c, "empty key name");
		return -1;
	}
	if (n > REGFILE_PATH_MAX) {
		fail(c, "key path longer than %d bytes", REGFILE_PATH_MAX);
		return -1;
	}
	if (rf->nkeys >= REGFILE_KEYS_MAX) {
		fail(c, "more than %d keys", REGFILE_KEYS_MAX);
		return -1;
	}
	raw = xstrndup(s, n);
	path = regfile_key_normalise(raw);
	free(raw);
	if (path == NULL) {
		fail(c, "key does not start with a root key "
		    "(HKEY_LOCAL_MACHINE, ...)");
		return -1;
	}
	rf->keys = xreallocarray(rf->keys, rf->nkeys + 1, sizeof(*rf->keys));
	k = &rf->keys[rf->nkeys++];
	k->path = path;
	k->line = c->lineno;
	k->deleted = del;
	return 0;
}

/*
 * Values.
 */

/* parse_quoted: a "..." string at *sp (pointing at the quote) into a
 * malloc'd string, *sp past the closing quote.  Escapes: \\ \" \n \r;
 * any other backslash is kept with its character, as regedit does. */
static char *
parse_quoted(struct cursor *c, const char **sp, const char *end)
{
	const char *s = *sp + 1;
	char *out;
	size_t o = 0;

	out = xmalloc((size_t)(end - s) + 1);
	for (; s < end; s++) {
		if (*s == '"') {
			out[o] = '\0';
			*sp = s + 1;
			if (o > REGFILE_DATA_MAX) {
				fail(c, "string longer than %d bytes",
				    REGFILE_DATA_MAX);
				break;
			}
			return out;
		}
		if (*s == '\\' && s + 1 < end) {
			s++;
			switch (*s) {
			case '\\': out[o++] = '\\'; break;
			case '"': out[o++] = '"'; break;
			case 'n': out[o++] = '\n'; break;
			case 'r': out[o++] = '\r'; break;
			default:
				out[o++] = '\\';
				out[o++] = *s;
				break;
			}
			continue;
		}
		out[o++] = *s;
	}
	if (c->err == NULL)
		fail(c, "unterminated string");
	free(out);
	return NULL;
}

/* at_end: only blanks or a ; comment remain. */
static bool
at_end(const char *s, const char *end)
{
	while (s < end && is_ws(*s))
		s++;
	return s == end || *s == ';';
}

/* parse_hex: comma-separated bytes from *sp, continued on the next
 * physical lines while a line ends in a backslash. */
static unsigned char *
parse_hex(struct cursor *c, const char *s, const char *end, size_t *lenp)
{
	unsigned char *out = NULL;
	size_t n = 0, cap = 0, joined = 0;

	for (;;) {
		int hi, lo;

		while (s < end && is_ws(*s))
			s++;
		if (s == end || *s == ';')
			break;
		if (*s == '\\' && at_end(s + 1, end)) {
			size_t len;
			const char *l;

			joined += (size_t)(end - s);
			l = next_line(c, &len);
			if (l == NULL) {
				if (c->err == NULL)
					fail(c, "file ends inside a continued "
					    "hex value");
				goto err;
			}
			joined += len;
			if (joined > REGFILE_LINE_MAX) {
				fail(c, "continued line longer than %d bytes",
				    REGFILE_LINE_MAX);
				goto err;
			}
			s = l;
			end = l + len;
			continue;
		}
		if ((hi = hexval(*s)) == -1)
			goto bad;
		s++;
		if (s < end && (lo = hexval(*s)) != -1) {
			hi = hi * 16 + lo;
			s++;
		}
		if (n >= REGFILE_DATA_MAX) {
			fail(c, "value longer than %d bytes",
			    REGFILE_DATA_MAX);
			goto err;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			out = xrealloc(out, cap);
		}
		out[n++] = (unsigned char)hi;
		while (s < end && is_ws(*s))
			s++;
		if (s < end && *s == ',') {
			s++;
		} else if (!(s == end || *s == ';' || *s == '\\'))
			goto bad;
	}
	/* a trailing comma is accepted, as regedit does */
	*lenp = n;
	if (out == NULL)
		out = xmalloc(1);
	return out;
bad:
	fail(c, "bad hex byte in value data");
err:
	free(out);
	return NULL;
}

/* parse_data: what follows '=' (s is past the blanks). */
static int
parse_data(struct cursor *c, struct regfile_value *v, const char *s,
    const char *end)
{
	unsigned long t;
	char *str;

	if (*s == '"') {
		if ((str = parse_quoted(c, &s, end)) == NULL)
			return -1;
		v->type = REGFILE_SZ;
		v->data = (unsigned char *)str;
		v->len = strlen(str);
		v->text = true;
	} else if (*s == '-') {
		s++;
		v->deleted = true;
	} else if (strncasecmp(s, "dword:", 6) == 0) {
		unsigned char *b;
		uint32_t x = 0;
		int i, h;

		s += 6;
		for (i = 0; s < end && (h = hexval(*s)) != -1; i++, s++) {
			if (i == 8) {
				fail(c, "dword with more than 8 hex digits");
				return -1;
			}
			x = x << 4 | (uint32_t)h;
		}
		if (i == 0) {
			fail(c, "dword without hex digits");
			return -1;
		}
		b = xmalloc(4);
		b[0] = x & 0xff;
		b[1] = (x >> 8) & 0xff;
		b[2] = (x >> 16) & 0xff;
		b[3] = x >> 24;
		v->type = REGFILE_DWORD;
		v->data = b;
		v->len = 4;
	} else if (strncasecmp(s, "hex", 3) == 0) {
		s += 3;
		t = REGFILE_BINARY;
		if (s < end && *s == '(') {
			int i, h;

			s++;
			for (t = 0, i = 0; s < end && (h = hexval(*s)) != -1;
			    i++, s++)
				t = t << 4 | (unsigned long)h;
			if (i == 0 || i > 8 || s == end || *s != ')') {
				fail(c, "bad hex(type)");
				return -1;
			}
			s++;
		}
		if (s == end || *s != ':') {
			fail(c, "expected ':' after hex");
			return -1;
		}
		v->type = (unsigned)t;
		v->data = parse_hex(c, s + 1, end, &v->len);
		return v->data != NULL ? 0 : -1;
	} else {
		fail(c, "unknown value data (expected \"string\", dword:, "
		    "hex:, hex(N): or -)");
		return -1;
	}
	if (!at_end(s, end)) {
		fail(c, "unexpected text after the value");
		return -1;
	}
	return 0;
}

static void
value_clear(struct regfile_value *v)
{
	free((char *)v->name);
	free((unsigned char *)v->data);
	memset(v, 0, sizeof(*v));
}

/* parse_value: a "name"=data or @=data line under key (NULL: the key
 * was deleted; regedit then ignores the value, and so do we). */
static int
parse_value(struct regfile *rf, struct cursor *c, const char *key,
    const char *s, const char *end)
{
	struct regfile_value v;

	memset(&v, 0, sizeof(v));
	v.line = c->lineno;
	if (*s == '@') {
		v.name = xstrdup("");
		s++;
	} else if ((v.name = parse_quoted(c, &s, end)) == NULL)
		return -1;
	while (s < end && is_ws(*s))
		s++;
	if (s == end || *s != '=') {
		fail(c, "expected '=' after the value name");
		goto err;
	}
	s++;
	while (s < end && is_ws(*s))
		s++;
	if (s == end) {
		fail(c, "value without data");
		goto err;
	}
	if (rf->nvalues >= REGFILE_VALUES_MAX) {
		fail(c, "more than %d values", REGFILE_VALUES_MAX);
		goto err;
	}
	if (parse_data(c, &v, s, end) == -1)
		goto err;
	if (key == NULL) {
		value_clear(&v);
		return 0;
	}
	v.key = key;
	rf->values = xreallocarray(rf->values, rf->nvalues + 1,
	    sizeof(*rf->values));
	rf->values[rf->nvalues++] = v;
	return 0;
err:
	value_clear(&v);
	return -1;
}

/* header_version: 5, 4, or 0 when the line is not a header. */
static int
header_version(const char *l, size_t n)
{
	while (n > 0 && is_ws(l[n - 1]))
		n--;
	if (n == strlen(REGFILE_HEADER5) &&
	    strncasecmp(l, REGFILE_HEADER5, n) == 0)
		return 5;
	if (n == strlen(REGFILE_HEADER4) &&
	    strncasecmp(l, REGFILE_HEADER4, n) == 0)
		return 4;
	return 0;
}

static bool
is_header(const char *l, size_t n)
{
	return header_version(l, n) != 0;
}

static int
parse_header(struct regfile *rf, struct cursor *c)
{
	const char *l;
	size_t n;

	if ((l = next_line(c, &n)) == NULL) {
		if (c->err == NULL)
			fail(c, "empty file");
		return -1;
	}
	if ((rf->version = header_version(l, n)) == 0) {
		fail(c, "not a registry file (the first line is neither \""
		    REGFILE_HEADER5 "\" nor \"" REGFILE_HEADER4 "\")");
		return -1;
	}
	return 0;
}

static int
parse_lines(struct regfile *rf, struct cursor *c)
{
	const char *l, *end, *key = NULL;
	bool seen_key = false;
	size_t n;

	if (parse_header(rf, c) == -1)
		return -1;
	while ((l = next_line(c, &n)) != NULL) {
		end = l + n;
		while (l < end && is_ws(*l))
			l++;
		/* Exports joined with `copy /b a.reg+b.reg`: the second
		 * file's byte-order mark and header line are skipped. */
		if ((size_t)(end - l) >= 3 && memcmp(l, "\xef\xbb\xbf", 3) == 0)
			l += 3;
		if (l == end || *l == ';' || is_header(l, (size_t)(end - l)))
			continue;
		if (*l == '[') {
			if (parse_key(rf, c, l, (size_t)(end - l)) == -1)
				return -1;
			seen_key = true;
			key = rf->keys[rf->nkeys - 1].deleted ? NULL :
			    rf->keys[rf->nkeys - 1].path;
			continue;
		}
		if (*l == '"' || *l == '@') {
			if (!seen_key) {
				fail(c, "value before the first [key] line");
				return -1;
			}
			if (parse_value(rf, c, key, l, end) == -1)
				return -1;
			continue;
		}
		fail(c, "expected [key], \"name\"=, @= or a ; comment");
		return -1;
	}
	return c->err != NULL ? -1 : 0;
}

struct regfile *
regfile_parse(const void *data, size_t len, const char *name, char **err)
{
	struct regfile *rf = xcalloc(1, sizeof(*rf));
	struct cursor c;
	char *text;

	memset(&c, 0, sizeof(c));
	c.name = name != NULL ? name : "(buffer)";
	*err = NULL;
	if ((text = decode(rf, &c, data, len, &c.len)) == NULL)
		goto err;
	c.text = text;
	if (parse_lines(rf, &c) == -1)
		goto err;
	free(text);
	return rf;
err:
	free(text);
	regfile_free(rf);
	*err = c.err != NULL ? c.err : xstrdup("parse error");
	return NULL;
}

struct regfile *
regfile_load(const char *path, size_t max, char **err)
{
	struct regfile *rf = NULL;
	unsigned char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	*err = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, fp);
	if (ferror(fp))
		*err = xasprintf("%s: read error", path);
	else if (n > max)
		*err = xasprintf("%s: larger than %zu bytes", path, max);
	fclose(fp);
	if (*err == NULL)
		rf = regfile_parse(buf, n, path, err);
	free(buf);
	return rf;
}

void
regfile_free(struct regfile *rf)
{
	size_t i;

	if (rf == NULL)
		return;
	for (i = 0; i < rf->nvalues; i++)
		value_clear(&rf->values[i]);
	for (i = 0; i < rf->nkeys; i++)
		free(rf->keys[i].path);
	free(rf->values);
	free(rf->keys);
	free(rf);
}

int
regfile_version(const struct regfile *rf)
{
	return rf->version;
}

const char *
regfile_encoding(const struct regfile *rf)
{
	return rf->encoding;
}

/*
 * Look-ups.
 */

/* deleted_after: the line of the last [-key] at or above path, 0 if none. */
static unsigned
deleted_after(const struct regfile *rf, const char *path)
{
	unsigned line = 0;
	size_t i;

	for (i = 0; i < rf->nkeys; i++)
		if (rf->keys[i].deleted && rf->keys[i].line > line &&
		    key_under(path, rf->keys[i].path, true))
			line = rf->keys[i].line;
	return line;
}

bool
regfile_has_key(const struct regfile *rf, const char *path)
{
	unsigned created = 0;
	char *p;
	size_t i;

	if ((p = regfile_key_normalise(path)) == NULL)
		return false;
	for (i = 0; i < rf->nkeys; i++)
		if (!rf->keys[i].deleted && rf->keys[i].line > created &&
		    key_under(rf->keys[i].path, p, true))
			created = rf->keys[i].line;
	if (created > 0 && created < deleted_after(rf, p))
		created = 0;
	free(p);
	return created > 0;
}

unsigned
regfile_key_line(const struct regfile *rf, const char *path)
{
	unsigned line = 0;
	char *p;
	size_t i;

	if ((p = regfile_key_normalise(path)) == NULL)
		return 0;
	for (i = 0; i < rf->nkeys; i++)
		if (!rf->keys[i].deleted && key_under(rf->keys[i].path, p,
		    false))
			line = rf->keys[i].line;
	free(p);
	return line;
}

const struct regfile_value *
regfile_get(const struct regfile *rf, const char *path, const char *name)
{
	const struct regfile_value *v = NULL;
	char *p;
	size_t i;

	if ((p = regfile_key_normalise(path)) == NULL)
		return NULL;
	for (i = rf->nvalues; i > 0 && v == NULL; i--)
		if (strcasecmp(rf->values[i - 1].name, name) == 0 &&
		    strcasecmp(rf->values[i - 1].key, p) == 0)
			v = &rf->values[i - 1];
	if (v != NULL && (v->deleted || deleted_after(rf, p) > v->line))
		v = NULL;
	free(p);
	return v;
}

size_t
regfile_nvalues(const struct regfile *rf)
{
	return rf->nvalues;
}

const struct regfile_value *
regfile_value_at(const struct regfile *rf, size_t i)
{
	return i < rf->nvalues ? &rf->values[i] : NULL;
}

int
regfile_dword(const struct regfile_value *v, uint32_t *out)
{
	if (v == NULL || v->deleted || v->text || v->type != REGFILE_DWORD ||
	    v->len != 4)
		return -1;
	*out = v->data[0] | (uint32_t)v->data[1] << 8 |
	    (uint32_t)v->data[2] << 16 | (uint32_t)v->data[3] << 24;
	return 0;
}

/* split: text of n bytes at NULs into out, empty pieces dropped; only the
 * first piece with first_only. */
static void
split(const char *s, size_t n, bool first_only, struct strvec *out)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\0')
			continue;
		if (i > start)
			strvec_add_owned(out, xstrndup(s + start, i - start));
		if (first_only)
			return;
		start = i + 1;
	}
}

int
regfile_strings(const struct regfile *rf, const struct regfile_value *v,
    struct strvec *out)
{
	char *s;
	size_t n, bad;
	bool multi;

	if (v == NULL || v->deleted)
		return -1;
	if (v->type != REGFILE_SZ && v->type != REGFILE_EXPAND_SZ &&
	    v->type != REGFILE_MULTI_SZ)
		return -1;
	multi = v->type == REGFILE_MULTI_SZ;
	if (v->text) {
		if (multi)
			return -1;
		strvec_add(out, (const char *)v->data);
		return 0;
	}
	if (rf->version == 4) {
		split((const char *)v->data, v->len, !multi, out);
		return 0;
	}
	if (utf16_decode(v->data, v->len, true, &s, &n, &bad) == -1)
		return -1;
	split(s, n, !multi, out);
	free(s);
	return 0;
}
