/* regfile: Windows registry export files (.reg), as `reg export` and regedit write them. */
#ifndef MXD_AUDIT_REGFILE_H
#define MXD_AUDIT_REGFILE_H

/*
 * A .reg file is a list of key lines ("[HKEY_LOCAL_MACHINE\...]",
 * "[-...]" to delete a key) each followed by its values ("name"=data,
 * @=data for the default value, "name"=- to delete one).  `reg export`
 * and regedit write "Windows Registry Editor Version 5.00" in UTF-16LE
 * with a byte-order mark and CRLF; the older "REGEDIT4" format is ANSI.
 * Both are read here, with CRLF or LF, UTF-8 with or without a BOM for
 * hand-written files, `;` comment lines, and hex data continued over
 * lines with a trailing backslash.  Exports joined byte for byte (`copy
 * /b schannel.reg+dotnet.reg all.reg`, since `reg export` writes one key
 * per file) are read as one: the later byte-order marks and header lines
 * are skipped.
 *
 * The file is untrusted: its size, line length, key path length, value
 * size and the number of keys and values are capped, and anything the
 * grammar does not allow (odd UTF-16 byte count, unpaired surrogate, NUL
 * in text, a value before the first key, an unterminated string, a bad
 * hex byte) fails the whole load with "file:line: reason".  Nothing is
 * guessed.
 *
 * Look-ups see the registry as it would be after importing the file into
 * an empty registry: the last write of a value wins, "name"=- and [-key]
 * remove what came before them.  Key paths compare ASCII-case-insensitively
 * (the registry is case-insensitive) and the root may be written long
 * (HKEY_LOCAL_MACHINE) or short (HKLM); it is stored long.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/str.h"

#define REGFILE_LINE_MAX	(256 * 1024)	/* bytes of one line, continuations joined */
#define REGFILE_PATH_MAX	2048		/* bytes of one key path */
#define REGFILE_DATA_MAX	(64 * 1024)	/* bytes of one value's data */
#define REGFILE_KEYS_MAX	8192		/* key lines per file */
#define REGFILE_VALUES_MAX	32768		/* value lines per file */

/* Value types: the registry's own numbers, so that hex(N) is type N. */
#define REGFILE_NONE		0u
#define REGFILE_SZ		1u
#define REGFILE_EXPAND_SZ	2u
#define REGFILE_BINARY		3u
#define REGFILE_DWORD		4u
#define REGFILE_DWORD_BE	5u
#define REGFILE_LINK		6u
#define REGFILE_MULTI_SZ	7u
#define REGFILE_QWORD		11u

struct regfile;

/* One value line.  All strings are UTF-8 and owned by the regfile. */
struct regfile_value {
	const char	*key;		/* the key's path as normalised */
	const char	*name;		/* "" for the default value (@) */
	unsigned	 type;		/* REGFILE_* (any 32-bit number for hex(N)) */
	bool		 deleted;	/* "name"=- */
	/* The data as the registry holds it: 4 bytes little-endian for
	 * dword:, the bytes of hex:/hex(N):.  A quoted string ("name"="x")
	 * is kept as UTF-8 text with text set (and a NUL after len). */
	const unsigned char *data;
	size_t		 len;
	bool		 text;
	unsigned	 line;		/* where the value starts (1-based) */
};

/* regfile_load: reads and parses path (at most max bytes, else an error).
 * regfile_parse: the same for a buffer; name is used in messages.  Both
 * return NULL with *err (malloc'd, "name:line: reason") on any error. */
struct regfile *regfile_load(const char *path, size_t max, char **err);
struct regfile *regfile_parse(const void *data, size_t len,
    const char *name, char **err);
void regfile_free(struct regfile *rf);	/* NULL is a no-op */

/* 5 for "Windows Registry Editor Version 5.00", 4 for "REGEDIT4".  In
 * version 5 the string types written as hex(1)/hex(2)/hex(7) are UTF-16LE,
 * in version 4 single bytes. */
int regfile_version(const struct regfile *rf);
/* "utf-16le", "utf-8" or "ascii": how the file itself was encoded. */
const char *regfile_encoding(const struct regfile *rf);

/* regfile_key_normalise: the stored form of a key path (root spelt long,
 * no trailing backslash) in a malloc'd string, or NULL if the root is not
 * one of HKEY_LOCAL_MACHINE/HKLM, HKEY_CURRENT_USER/HKCU,
 * HKEY_CLASSES_ROOT/HKCR, HKEY_USERS/HKU, HKEY_CURRENT_CONFIG/HKCC. */
char *regfile_key_normalise(const char *path);

/* regfile_has_key: whether the key exists after the import (a key line
 * for it or for a subkey, not deleted later).  path in either root
 * spelling. */
bool regfile_has_key(const struct regfile *rf, const char *path);
/* regfile_get: the value name ("" for the default) of key path as the
 * import leaves it, or NULL (never written, or deleted).  Borrowed until
 * regfile_free(). */
const struct regfile_value *regfile_get(const struct regfile *rf,
    const char *path, const char *name);
/* regfile_key_line: the line of the key's last key line, 0 if none. */
unsigned regfile_key_line(const struct regfile *rf, const char *path);

/* Every value line in file order (deletions included, later writes not
 * merged), for listing. */
size_t regfile_nvalues(const struct regfile *rf);
const struct regfile_value *regfile_value_at(const struct regfile *rf,
    size_t i);

/* regfile_dword: a REG_DWORD's number (dword: or hex(4): of 4 bytes);
 * -1 for any other type or size. */
int regfile_dword(const struct regfile_value *v, uint32_t *out);
/* regfile_strings: the text of a REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ
 * (quoted, or hex(1)/(2)/(7) bytes in the file version's encoding) as
 * UTF-8 strings appended to out: one for SZ, one per element for
 * MULTI_SZ (empty elements and the terminating NULs dropped).  -1 for
 * any other type, or bytes that are not valid UTF-16LE. */
int regfile_strings(const struct regfile *rf, const struct regfile_value *v,
    struct strvec *out);

#endif
