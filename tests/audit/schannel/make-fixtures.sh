#!/bin/sh
# make-fixtures.sh: writes tests/fixtures/reg/wine-*.reg with a real reg.exe.
#
# The files are the output of Wine's reg.exe (`reg add`, `reg export`), the
# closest thing to a Windows `reg export` available off Windows: UTF-16LE
# with a byte-order mark and CRLF, as Windows writes them.  They are NOT
# exports from a Windows machine; Wine's own SCHANNEL key (it spells it
# "Schannel" and has only SSL 2.0\Client) is what a default export shows.
# The files are committed, so CI never needs Wine.
#
# It also imports the fix renderer's golden .reg files
# (tests/unit/audit/schannel/golden/*.reg) with `reg import` and exports
# the result again (wine-roundtrip-*.reg): the unit tests read those back,
# which shows that Wine's reg.exe accepts what `mxdoctor fix` writes.
#
# Usage: tests/audit/schannel/make-fixtures.sh   (Debian: apt-get install wine64)
set -eu

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/tests/fixtures/reg
golden=$top/tests/unit/audit/schannel/golden

if command -v wine >/dev/null 2>&1; then
	WINE=wine
elif [ -x /usr/lib/wine/wine64 ]; then
	WINE=/usr/lib/wine/wine64
else
	echo "make-fixtures.sh: Wine not found (apt-get install wine64)" >&2
	exit 77
fi
WINEPREFIX=$(mktemp -d)
WINEDEBUG=-all
WINEDLLOVERRIDES='mscoree,mshtml='
LC_ALL=C.UTF-8
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES LC_ALL
trap 'wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT INT TERM

SCH='HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'
NET4='HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319'
NET4W='HKLM\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319'
GP='HKLM\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002'
LOCAL='HKLM\SYSTEM\CurrentControlSet\Control\Cryptography\Configuration\Local\SSL\00010002'
TEST='HKLM\SOFTWARE\mxdoctor-test'

# Wine maps / to drive Z:.
winpath() {
	printf 'Z:%s' "$1" | tr / '\\'
}

reg() {
	"$WINE" reg "$@" >/dev/null
}

dword() {	# key name value
	reg add "$1" /v "$2" /t REG_DWORD /d "$3" /f
}

export_to() {	# key file
	reg export "$1" "$(winpath "$out/$2")" /y
	echo "wrote tests/fixtures/reg/$2"
}

# Back to Wine's own SCHANNEL key and no test keys.
reset() {
	for k in "$SCH\\Protocols\\SSL 3.0" "$SCH\\Protocols\\TLS 1.0" \
	    "$SCH\\Protocols\\TLS 1.1" "$SCH\\Protocols\\TLS 1.2" \
	    "$SCH\\Protocols\\TLS 1.3" "$SCH\\Protocols\\SSL 2.0\\Server" \
	    "$SCH\\Ciphers" "$SCH\\KeyExchangeAlgorithms" \
	    'HKLM\SOFTWARE\Microsoft\.NETFramework' \
	    'HKLM\SOFTWARE\WOW6432Node\Microsoft\.NETFramework' \
	    'HKLM\SOFTWARE\Policies\Microsoft\Cryptography' "$LOCAL" "$TEST"; do
		"$WINE" reg delete "$k" /f >/dev/null 2>&1 || true
	done
	dword "$SCH\\Protocols\\SSL 2.0\\Client" DisabledByDefault 1
	"$WINE" reg delete "$SCH\\Protocols\\SSL 2.0\\Client" /v Enabled /f \
	    >/dev/null 2>&1 || true
}

side() {	# version side enabled disabledbydefault
	dword "$SCH\\Protocols\\$1\\$2" Enabled "$3"
	dword "$SCH\\Protocols\\$1\\$2" DisabledByDefault "$4"
}

both() {	# version enabled disabledbydefault
	side "$1" Client "$2" "$3"
	side "$1" Server "$2" "$3"
}

mkdir -p "$out"
"$WINE" wineboot -i >/dev/null 2>&1 || true

# 1. Wine's SCHANNEL key as it comes.
reset
export_to "$SCH" wine-default.reg

# 2. The usual hardening: only TLS 1.2 (IIS Crypto "strict"-like).
reset
for v in 'SSL 2.0' 'SSL 3.0' 'TLS 1.0' 'TLS 1.1'; do both "$v" 0 1; done
both 'TLS 1.2' 1 0
export_to "$SCH" wine-tls12-only.reg

# 3. TLS 1.2 off for the client only: Client/Server mismatch.
reset
side 'TLS 1.2' Client 0 1
side 'TLS 1.2' Server 1 0
export_to "$SCH" wine-tls12-client-off.reg

# 4. Enabled = 0xffffffff (documented as enabled too), DisabledByDefault
#    alone, and TLS 1.3 keys.
reset
both 'TLS 1.0' 0xffffffff 0
dword "$SCH\\Protocols\\TLS 1.1\\Client" DisabledByDefault 1
dword "$SCH\\Protocols\\TLS 1.1\\Server" DisabledByDefault 1
both 'TLS 1.3' 1 0
export_to "$SCH" wine-ffffffff.reg

# 5. Ciphers and key exchange switched off, one value of the wrong type.
reset
dword "$SCH\\Ciphers\\RC4 128/128" Enabled 0
dword "$SCH\\Ciphers\\Triple DES 168" Enabled 0
dword "$SCH\\KeyExchangeAlgorithms\\PKCS" Enabled 0
reg add "$SCH\\Protocols\\TLS 1.1\\Server" /v Enabled /t REG_SZ /d 1 /f
export_to "$SCH" wine-ciphers.reg

# 6. .NET Framework 4 keys: SchUseStrongCrypto 0, SystemDefaultTlsVersions
#    absent (64-bit), both 1 (32-bit).
reset
dword "$NET4" SchUseStrongCrypto 0
dword "$NET4W" SchUseStrongCrypto 1
dword "$NET4W" SystemDefaultTlsVersions 1
export_to "$NET4" wine-dotnet-v4.reg
export_to "$NET4W" wine-dotnet-v4-wow.reg

# 7. Group Policy suite order (REG_SZ, comma-separated, Windows 8.1-style
#    curve suffixes, one name Windows does not have).
reset
reg add "$GP" /v Functions /t REG_SZ /f /d \
    'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256,TLS_RSA_WITH_AES_256_GCM_SHA384,TLS_MXDOCTOR_NOT_A_SUITE'
export_to 'HKLM\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL' wine-order-gp.reg

# 8. The local order the TLS cmdlets write (REG_MULTI_SZ, i.e. hex(7)).
reset
reg add "$LOCAL" /v Functions /t REG_MULTI_SZ /f /d \
    'TLS_AES_256_GCM_SHA384\0TLS_AES_128_GCM_SHA256\0TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\0TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
export_to "$LOCAL" wine-order-local.reg

# 9. Every value type reg.exe writes, for the parser: long binary data
#    (continuation lines), qword, expand and multi strings, quotes and
#    backslashes, the default value, non-ASCII text, a '/' in a key name.
reset
reg add "$TEST" /ve /t REG_SZ /d 'default value' /f
reg add "$TEST" /v 'quote"and\back' /t REG_SZ /d 'say "hi" C:\dir\' /f
reg add "$TEST" /v Grüße /t REG_SZ /d 'Grüße aus München' /f
reg add "$TEST" /v q /t REG_QWORD /d 0x1122334455667788 /f
reg add "$TEST" /v x /t REG_EXPAND_SZ /d '%SystemRoot%\system32' /f
reg add "$TEST" /v m /t REG_MULTI_SZ /d 'one\0two\0three' /f
reg add "$TEST" /v bin /t REG_BINARY /f /d \
    000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
reg add "$TEST" /v none /t REG_NONE /f
dword "$TEST\\RC4 128/128" Enabled 0
dword "$TEST\\a\\b\\c\\d\\e\\f\\g\\h" deep 1
export_to "$TEST" wine-types.reg

# 10. Round trip: what `mxdoctor fix` writes, imported by reg.exe.
for g in "$golden"/*.reg; do
	[ -f "$g" ] || continue
	name=$(basename "$g" .reg)
	reset
	reg import "$(winpath "$g")"
	export_to "$SCH" "wine-roundtrip-$name.reg"
	if "$WINE" reg query "$NET4" >/dev/null 2>&1; then
		export_to "$NET4" "wine-roundtrip-$name-dotnet.reg"
	fi
	if "$WINE" reg query "$GP" >/dev/null 2>&1; then
		export_to "$GP" "wine-roundtrip-$name-order.reg"
	fi
done
