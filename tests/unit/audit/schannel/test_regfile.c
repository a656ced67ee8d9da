/* test_regfile: the .reg parser on Wine reg.exe exports, hand-written REGEDIT4 files and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/regfile.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define SCH	"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
#define TESTK	"HKLM\\SOFTWARE\\mxdoctor-test"

static char *
fixture(const char *name)
{
	const char *dir = getenv("MXD_REG_FIXTURES");

	assert_non_null(dir);
	return xasprintf("%s/%s", dir, name);
}

static struct regfile *
load_fixture(const char *name)
{
	char *path = fixture(name), *err = NULL;
	struct regfile *rf = regfile_load(path, AUDIT_FILE_MAX, &err);

	if (rf == NULL)
		fail_msg("%s: %s", name, err);
	free(path);
	return rf;
}

static uint32_t
dword_of(const struct regfile *rf, const char *key, const char *name)
{
	const struct regfile_value *v = regfile_get(rf, key, name);
	uint32_t d = 0xdeadbeef;

	assert_non_null(v);
	assert_int_equal(regfile_dword(v, &d), 0);
	return d;
}

/*
 * Real reg.exe output (Wine's), UTF-16LE with BOM and CRLF.
 */

static void
test_wine_protocols(void **state)
{
	struct regfile *rf = load_fixture("wine-tls12-only.reg");

	(void)state;
	assert_int_equal(regfile_version(rf), 5);
	assert_string_equal(regfile_encoding(rf), "utf-16le");
	assert_true(regfile_has_key(rf, SCH));
	assert_true(regfile_has_key(rf, SCH "\\Protocols"));
	/* long and short root, any case */
	assert_true(regfile_has_key(rf, "HKEY_LOCAL_MACHINE\\system\\"
	    "currentcontrolset\\control\\securityproviders\\schannel\\"
	    "protocols\\tls 1.2\\client\\"));
	assert_int_equal(dword_of(rf, SCH "\\Protocols\\TLS 1.2\\Client",
	    "Enabled"), 1);
	assert_int_equal(dword_of(rf, SCH "\\Protocols\\tls 1.0\\SERVER",
	    "disabledbydefault"), 1);
	assert_null(regfile_get(rf, SCH "\\Protocols\\TLS 1.3\\Client",
	    "Enabled"));
	assert_false(regfile_has_key(rf, SCH "\\Protocols\\TLS 1.3"));
	assert_true(regfile_key_line(rf, SCH "\\Protocols\\TLS 1.2\\Client") > 0);
	regfile_free(rf);
}

static void
test_wine_ffffffff(void **state)
{
	struct regfile *rf = load_fixture("wine-ffffffff.reg");

	(void)state;
	assert_int_equal(dword_of(rf, SCH "\\Protocols\\TLS 1.0\\Client",
	    "Enabled"), 0xffffffffu);
	regfile_free(rf);
}

static void
test_wine_types(void **state)
{
	struct regfile *rf = load_fixture("wine-types.reg");
	const struct regfile_value *v;
	struct strvec sv = { 0 };
	size_t i;

	(void)state;
	/* default value */
	v = regfile_get(rf, TESTK, "");
	assert_non_null(v);
	assert_true(v->text);
	assert_string_equal((const char *)v->data, "default value");
	/* quotes and backslashes in name and data */
	v = regfile_get(rf, TESTK, "quote\"and\\back");
	assert_non_null(v);
	assert_string_equal((const char *)v->data, "say \"hi\" C:\\dir\\");
	/* non-ASCII through UTF-16 */
	v = regfile_get(rf, TESTK, "Gr\xc3\xbc\xc3\x9f" "e");
	assert_non_null(v);
	assert_string_equal((const char *)v->data,
	    "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen");
	/* qword */
	v = regfile_get(rf, TESTK, "q");
	assert_non_null(v);
	assert_int_equal(v->type, REGFILE_QWORD);
	assert_int_equal(v->len, 8);
	assert_int_equal(v->data[0], 0x88);
	assert_int_equal(regfile_dword(v, &(uint32_t){ 0 }), -1);
	/* hex(2), UTF-16LE */
	v = regfile_get(rf, TESTK, "x");
	assert_int_equal(v->type, REGFILE_EXPAND_SZ);
	assert_int_equal(regfile_strings(rf, v, &sv), 0);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sv.v[0], "%SystemRoot%\\system32");
	strvec_clear(&sv);
	/* hex(7), continued over lines */
	v = regfile_get(rf, TESTK, "m");
	assert_int_equal(regfile_strings(rf, v, &sv), 0);
	assert_int_equal(sv.n, 3);
	assert_string_equal(sv.v[2], "three");
	strvec_clear(&sv);
	/* binary, continued over lines */
	v = regfile_get(rf, TESTK, "bin");
	assert_int_equal(v->type, REGFILE_BINARY);
	assert_int_equal(v->len, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(v->data[i], i);
	assert_int_equal(regfile_strings(rf, v, &sv), -1);
	/* hex(0) */
	v = regfile_get(rf, TESTK, "none");
	assert_int_equal(v->type, REGFILE_NONE);
	/* '/' in a key name, deep keys */
	assert_int_equal(dword_of(rf, TESTK "\\RC4 128/128", "Enabled"), 0);
	assert_int_equal(dword_of(rf, TESTK "\\a\\b\\c\\d\\e\\f\\g\\h",
	    "deep"), 1);
	assert_true(regfile_has_key(rf, TESTK "\\a\\b\\c"));
	regfile_free(rf);
}

static void
test_wine_multi_sz_order(void **state)
{
	struct regfile *rf = load_fixture("wine-order-local.reg");
	const struct regfile_value *v;
	struct strvec sv = { 0 };

	(void)state;
	v = regfile_get(rf, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
	    "Cryptography\\Configuration\\Local\\SSL\\00010002", "Functions");
	assert_non_null(v);
	assert_int_equal(v->type, REGFILE_MULTI_SZ);
	assert_int_equal(regfile_strings(rf, v, &sv), 0);
	assert_int_equal(sv.n, 4);
	assert_string_equal(sv.v[0], "TLS_AES_256_GCM_SHA384");
	assert_string_equal(sv.v[3], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	strvec_clear(&sv);
	regfile_free(rf);
}

static unsigned char *
slurp(const char *name, size_t *n)
{
	char *path = fixture(name);
	FILE *fp = fopen(path, "rb");
	unsigned char *b = xmalloc(1 << 20);

	assert_non_null(fp);
	*n = fread(b, 1, 1 << 20, fp);
	fclose(fp);
	free(path);
	return b;
}

/* `copy /b a.reg+b.reg all.reg`: a second BOM and header mid-file. */
static void
test_concatenated_exports(void **state)
{
	size_t n1, n2;
	unsigned char *a = slurp("wine-tls12-only.reg", &n1);
	unsigned char *b = slurp("wine-dotnet-v4.reg", &n2);
	unsigned char *all = xmalloc(n1 + n2);
	struct regfile *rf;
	char *err = NULL;

	(void)state;
	memcpy(all, a, n1);
	memcpy(all + n1, b, n2);
	rf = regfile_parse(all, n1 + n2, "all.reg", &err);
	if (rf == NULL)
		fail_msg("%s", err);
	assert_int_equal(dword_of(rf, SCH "\\Protocols\\TLS 1.2\\Server",
	    "Enabled"), 1);
	assert_int_equal(dword_of(rf, "HKLM\\SOFTWARE\\Microsoft\\"
	    ".NETFramework\\v4.0.30319", "SchUseStrongCrypto"), 0);
	regfile_free(rf);
	free(a);
	free(b);
	free(all);
}

/*
 * Hand-written text: REGEDIT4 / UTF-8 / LF, deletions, and the errors.
 */

struct text_case {
	const char	*name;
	const char	*text;
	const char	*err;		/* substring of the error; NULL: loads */
	const char	*key;		/* then: this value ... */
	const char	*value;
	long long	 dword;		/* ... has this DWORD (-1: absent) */
};

static const struct text_case text_cases[] = {
	{ "regedit4 lf", "REGEDIT4\n\n[HKLM\\Software\\X]\n\"a\"=dword:2\n",
	  NULL, "HKEY_LOCAL_MACHINE\\SOFTWARE\\x", "A", 2 },
	{ "utf-8 bom crlf", "\xef\xbb\xbfWindows Registry Editor Version 5.00"
	  "\r\n[HKEY_LOCAL_MACHINE\\S]\r\n\"a\"=dword:0000000a\r\n",
	  NULL, "HKLM\\S", "a", 10 },
	{ "comments blanks spaces", "REGEDIT4\n; c\n  ; c2\n\n[HKLM\\S]  \n"
	  "  \"a\" = dword:00000001 ; why\n", NULL, "HKLM\\S", "a", 1 },
	{ "value deleted", "REGEDIT4\n[HKLM\\S]\n\"a\"=dword:1\n\"a\"=-\n",
	  NULL, "HKLM\\S", "a", -1 },
	{ "value rewritten", "REGEDIT4\n[HKLM\\S]\n\"a\"=dword:1\n[HKLM\\S]\n"
	  "\"a\"=dword:3\n", NULL, "HKLM\\S", "a", 3 },
	{ "key deleted", "REGEDIT4\n[HKLM\\S\\T]\n\"a\"=dword:1\n[-HKLM\\S]\n",
	  NULL, "HKLM\\S\\T", "a", -1 },
	{ "recreated after delete", "REGEDIT4\n[-HKLM\\S]\n\"b\"=dword:1\n"
	  "[HKLM\\S]\n\"a\"=dword:5\n", NULL, "HKLM\\S", "a", 5 },
	{ "values under deleted key ignored", "REGEDIT4\n[-HKLM\\S]\n"
	  "\"a\"=dword:1\n", NULL, "HKLM\\S", "a", -1 },
	{ "hex(4) dword", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex(4):01,00,00,00\n",
	  NULL, "HKLM\\S", "a", 1 },
	{ "hex continuation trailing comma", "REGEDIT4\n[HKLM\\S]\n"
	  "\"a\"=hex(4):07,00,\\\n   00,00,\n", NULL, "HKLM\\S", "a", 7 },
	{ "upper-case hex", "REGEDIT4\n[HKLM\\S]\n\"a\"=DWORD:0000000F\n",
	  NULL, "HKLM\\S", "a", 15 },
	/* errors */
	{ "empty", "", "empty file", NULL, NULL, 0 },
	{ "no header", "[HKLM\\S]\n", "not a registry file", NULL, NULL, 0 },
	{ "value before key", "REGEDIT4\n\"a\"=dword:1\n", "before the first", NULL, NULL, 0 },
	{ "unknown root", "REGEDIT4\n[HKEY_NOWHERE\\S]\n", "root key", NULL, NULL, 0 },
	{ "no closing bracket", "REGEDIT4\n[HKLM\\S\n", "does not end", NULL, NULL, 0 },
	{ "empty key", "REGEDIT4\n[]\n", "empty key", NULL, NULL, 0 },
	{ "unterminated name", "REGEDIT4\n[HKLM\\S]\n\"a=dword:1\n",
	  "unterminated", NULL, NULL, 0 },
	{ "unterminated data", "REGEDIT4\n[HKLM\\S]\n\"a\"=\"x\n",
	  "unterminated", NULL, NULL, 0 },
	{ "no equals", "REGEDIT4\n[HKLM\\S]\n\"a\" dword:1\n", "expected '='", NULL, NULL, 0 },
	{ "no data", "REGEDIT4\n[HKLM\\S]\n\"a\"=\n", "without data", NULL, NULL, 0 },
	{ "long dword", "REGEDIT4\n[HKLM\\S]\n\"a\"=dword:123456789\n",
	  "more than 8", NULL, NULL, 0 },
	{ "empty dword", "REGEDIT4\n[HKLM\\S]\n\"a\"=dword:\n", "without hex", NULL, NULL, 0 },
	{ "junk after dword", "REGEDIT4\n[HKLM\\S]\n\"a\"=dword:1 x\n",
	  "after the value", NULL, NULL, 0 },
	{ "bad hex byte", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex:01,zz\n", "bad hex", NULL, NULL, 0 },
	{ "bad hex type", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex(q):01\n", "hex(type)", NULL, NULL, 0 },
	{ "hex without colon", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex 01\n",
	  "':' after hex", NULL, NULL, 0 },
	{ "three-digit byte", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex:123\n", "bad hex", NULL, NULL, 0 },
	{ "eof in continuation", "REGEDIT4\n[HKLM\\S]\n\"a\"=hex:01,\\\n",
	  "ends inside", NULL, NULL, 0 },
	{ "unknown type", "REGEDIT4\n[HKLM\\S]\n\"a\"=str(2):\"x\"\n",
	  "unknown value data", NULL, NULL, 0 },
	{ "garbage line", "REGEDIT4\n[HKLM\\S]\nhello\n", "expected [key]", NULL, NULL, 0 },
	{ "binary junk", "REGEDIT4\n\x01\x02\xff\xfe[\n", "expected [key]", NULL, NULL, 0 },
};

static void
test_text_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *tc = &text_cases[i];
		char *err = NULL;
		struct regfile *rf = regfile_parse(tc->text, strlen(tc->text),
		    "t.reg", &err);

		if (tc->err != NULL) {
			if (rf != NULL || err == NULL ||
			    strstr(err, tc->err) == NULL)
				fail_msg("%s: want error \"%s\", got %s",
				    tc->name, tc->err, err ? err : "success");
			assert_true(strncmp(err, "t.reg:", 6) == 0);
			free(err);
			continue;
		}
		if (rf == NULL)
			fail_msg("%s: %s", tc->name, err);
		if (tc->dword == -1)
			assert_null(regfile_get(rf, tc->key, tc->value));
		else if (dword_of(rf, tc->key, tc->value) != tc->dword)
			fail_msg("%s: wrong value", tc->name);
		regfile_free(rf);
	}
}

/* REGEDIT4 strings in hex(7) are single bytes, not UTF-16. */
static void
test_regedit4_multi_sz(void **state)
{
	const char *t = "REGEDIT4\r\n[HKLM\\S]\r\n\"m\"=hex(7):61,62,00,63,00,00\r\n";
	struct strvec sv = { 0 };
	char *err = NULL;
	struct regfile *rf = regfile_parse(t, strlen(t), "t.reg", &err);

	(void)state;
	assert_non_null(rf);
	assert_int_equal(regfile_version(rf), 4);
	assert_int_equal(regfile_strings(rf, regfile_get(rf, "HKLM\\S", "m"),
	    &sv), 0);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "ab");
	assert_string_equal(sv.v[1], "c");
	strvec_clear(&sv);
	regfile_free(rf);
}

/*
 * Hostile bytes.
 */

struct bin_case {
	const char		*name;
	const unsigned char	*data;
	size_t			 len;
	const char		*err;
};

static const unsigned char odd_utf16[] = { 0xff, 0xfe, 'W', 0, 'i' };
static const unsigned char no_bom[] = { 'W', 0, 'i', 0, 'n', 0 };
static const unsigned char big_endian[] = { 0xfe, 0xff, 0, 'W' };
static const unsigned char lone_surrogate[] = { 0xff, 0xfe, 'R', 0, 0x00,
    0xd8, 'A', 0 };
static const unsigned char low_surrogate[] = { 0xff, 0xfe, 0x00, 0xdc };
static const unsigned char nul_in_utf16[] = { 0xff, 0xfe, 'R', 0, 0, 0 };
static const unsigned char nul_in_ansi[] = { 'R', 'E', 'G', 0, 'X' };
static const unsigned char bom_only[] = { 0xff, 0xfe };

static const struct bin_case bin_cases[] = {
	{ "odd byte count", odd_utf16, sizeof(odd_utf16), "odd number" },
	{ "utf-16 without bom", no_bom, sizeof(no_bom), "byte-order mark" },
	{ "big endian", big_endian, sizeof(big_endian), "big-endian" },
	{ "unpaired high surrogate", lone_surrogate, sizeof(lone_surrogate),
	  "invalid UTF-16" },
	{ "unpaired low surrogate", low_surrogate, sizeof(low_surrogate),
	  "invalid UTF-16" },
	{ "nul in utf-16", nul_in_utf16, sizeof(nul_in_utf16),
	  "invalid UTF-16" },
	{ "nul in ansi", nul_in_ansi, sizeof(nul_in_ansi), "NUL byte" },
	{ "bom only", bom_only, sizeof(bom_only), "empty file" },
};

static void
test_bin_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bin_cases) / sizeof(bin_cases[0]); i++) {
		char *err = NULL;
		struct regfile *rf = regfile_parse(bin_cases[i].data,
		    bin_cases[i].len, "b.reg", &err);

		if (rf != NULL || err == NULL ||
		    strstr(err, bin_cases[i].err) == NULL)
			fail_msg("%s: want \"%s\", got %s", bin_cases[i].name,
			    bin_cases[i].err, err ? err : "success");
		free(err);
	}
}

/* A real export cut anywhere: an error or a shorter registry, never a
 * crash (run under ASan in CI). */
static void
test_truncated_everywhere(void **state)
{
	size_t n, cut;
	unsigned char *d = slurp("wine-types.reg", &n);

	(void)state;
	for (cut = 0; cut <= n; cut++) {
		char *err = NULL;
		struct regfile *rf = regfile_parse(d, cut, "cut.reg", &err);

		if (rf == NULL) {
			assert_non_null(err);
			if (cut % 2 == 1 && cut > 2)
				assert_non_null(strstr(err, "odd number"));
			free(err);
		}
		regfile_free(rf);
	}
	free(d);
}

static void
test_limits(void **state)
{
	struct buf *b = buf_new(16 * 1024 * 1024);
	struct regfile *rf;
	char *err = NULL;
	size_t i;

	(void)state;
	/* a 300 KB line */
	buf_adds(b, "REGEDIT4\n[HKLM\\S]\n\"a\"=\"");
	for (i = 0; i < 300 * 1024; i++)
		buf_add(b, "x", 1);
	buf_adds(b, "\"\n");
	rf = regfile_parse(buf_str(b), buf_len(b), "l.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "line longer"));
	free(err);

	/* a long line of hex joined from short ones */
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n[HKLM\\S]\n\"a\"=hex:");
	for (i = 0; i < 70000; i++)
		buf_adds(b, "00,\\\n");
	buf_adds(b, "00\n");
	rf = regfile_parse(buf_str(b), buf_len(b), "h.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "longer than"));
	free(err);

	/* deep nesting within the path limit, then over it */
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n[HKLM");
	for (i = 0; i < 1000; i++)
		buf_adds(b, "\\a");
	buf_adds(b, "]\n\"d\"=dword:1\n");
	rf = regfile_parse(buf_str(b), buf_len(b), "d.reg", &err);
	assert_non_null(rf);
	assert_int_equal(regfile_nvalues(rf), 1);
	assert_int_equal(regfile_dword(regfile_value_at(rf, 0),
	    &(uint32_t){ 0 }), 0);
	regfile_free(rf);
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n[HKLM");
	for (i = 0; i < 2000; i++)
		buf_adds(b, "\\a");
	buf_adds(b, "]\n");
	rf = regfile_parse(buf_str(b), buf_len(b), "d.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "key path longer"));
	free(err);

	/* too many keys, too many values */
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n");
	for (i = 0; i <= REGFILE_KEYS_MAX; i++)
		buf_printf(b, "[HKLM\\K%zu]\n", i);
	rf = regfile_parse(buf_str(b), buf_len(b), "k.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "more than"));
	free(err);
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n[HKLM\\K]\n");
	for (i = 0; i <= REGFILE_VALUES_MAX; i++)
		buf_printf(b, "\"v%zu\"=dword:1\n", i);
	rf = regfile_parse(buf_str(b), buf_len(b), "v.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "more than"));
	free(err);

	/* value data over the cap */
	buf_reset(b);
	buf_adds(b, "REGEDIT4\n[HKLM\\K]\n\"a\"=hex:");
	for (i = 0; i < REGFILE_DATA_MAX + 1; i++)
		buf_adds(b, "00,");
	buf_adds(b, "\n");
	rf = regfile_parse(buf_str(b), buf_len(b), "v.reg", &err);
	assert_null(rf);
	assert_non_null(strstr(err, "longer than"));
	free(err);
	buf_free(b);
}

/* A 10 MB file (one line) is refused before it is parsed. */
static void
test_big_file(void **state)
{
	char path[] = "/tmp/mxd-regXXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	char *err = NULL;
	size_t i;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "wb");
	fputs("REGEDIT4\n[HKLM\\S]\n\"a\"=\"", fp);
	for (i = 0; i < 10 * 1024 * 1024 / 64; i++)
		fputs("0123456789abcdef0123456789abcdef0123456789abcdef"
		    "0123456789abcdef", fp);
	fputs("\"\n", fp);
	fclose(fp);
	assert_null(regfile_load(path, AUDIT_FILE_MAX, &err));
	assert_non_null(strstr(err, "larger than"));
	free(err);
	assert_null(regfile_load("/nonexistent/x.reg", AUDIT_FILE_MAX, &err));
	assert_non_null(strstr(err, "No such file"));
	free(err);
	unlink(path);
}

/* Random lines from the format's own alphabet: never a crash. */
static void
test_random_lines(void **state)
{
	static const char alpha[] = "[]\"@=\\,:-;hexdword()0123456789abf "
	    "HKLM\r\n\t";
	struct buf *b = buf_new(1 << 16);
	unsigned seed = 12345;
	int round, i, ok = 0;

	(void)state;
	for (round = 0; round < 3000; round++) {
		char *err = NULL;
		struct regfile *rf;

		buf_reset(b);
		buf_adds(b, round % 2 ? "REGEDIT4\n[HKLM\\S]\n" :
		    "REGEDIT4\n");
		for (i = 0; i < 200; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_add(b, &alpha[(seed >> 16) % (sizeof(alpha) - 1)],
			    1);
		}
		rf = regfile_parse(buf_str(b), buf_len(b), "r.reg", &err);
		if (rf != NULL) {
			size_t k;

			ok++;
			for (k = 0; k < regfile_nvalues(rf); k++) {
				struct strvec sv = { 0 };
				const struct regfile_value *v =
				    regfile_value_at(rf, k);

				(void)regfile_strings(rf, v, &sv);
				strvec_clear(&sv);
				(void)regfile_get(rf, v->key, v->name);
			}
		} else
			free(err);
		regfile_free(rf);
	}
	(void)ok;
	buf_free(b);
}

static void
test_normalise(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "HKLM\\A\\B\\", "HKEY_LOCAL_MACHINE\\A\\B" },
		{ "hkey_local_machine\\A", "HKEY_LOCAL_MACHINE\\A" },
		{ "HKCU", "HKEY_CURRENT_USER" },
		{ "HKU\\S-1-5-18", "HKEY_USERS\\S-1-5-18" },
		{ "HKCR\\x", "HKEY_CLASSES_ROOT\\x" },
		{ "HKCC\\x", "HKEY_CURRENT_CONFIG\\x" },
		{ "HKLMX\\A", NULL },
		{ "SOFTWARE\\A", NULL },
		{ "", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *n = regfile_key_normalise(cases[i].in);

		if (cases[i].out == NULL)
			assert_null(n);
		else
			assert_string_equal(n, cases[i].out);
		free(n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wine_protocols),
		cmocka_unit_test(test_wine_ffffffff),
		cmocka_unit_test(test_wine_types),
		cmocka_unit_test(test_wine_multi_sz_order),
		cmocka_unit_test(test_concatenated_exports),
		cmocka_unit_test(test_text_cases),
		cmocka_unit_test(test_regedit4_multi_sz),
		cmocka_unit_test(test_bin_cases),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_random_lines),
		cmocka_unit_test(test_normalise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
