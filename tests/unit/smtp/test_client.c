/* test_client: the SMTP client state machine against a scripted server on loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "smtp/client.h"
#include "util/log.h"
#include "util/str.h"

#define EHLO_NAME	"client.test"
#define SAFETY_MS	10000	/* a run that lasts longer is a hang: failure */
#define DEFAULT_MS	2000	/* deadlines unless a case sets its own */

/*
 * Server scripts: one action per row, run in order; the server stays
 * connected (reading) after the last one.
 */
enum act_op {
	A_END = 0,
	A_SEND,		/* write s */
	A_REPEAT,	/* write s, n times */
	A_LINES,	/* write n lines of s followed by len 'x's, CRLF */
	A_EXPECT,	/* read one line; it must be s exactly */
	A_DELAY,	/* wait n ms */
	A_SILENT,	/* the client must not have sent anything yet */
	A_CLOSE,	/* close once the output is flushed */
	A_TLS		/* TLS server handshake; the rest goes over TLS */
};

struct act {
	enum act_op	 op;
	const char	*s;
	size_t		 len;
	int		 n;
};

#define SEND(lit)		{ A_SEND, (lit), sizeof(lit) - 1, 0 }
#define REPEAT(lit, count)	{ A_REPEAT, (lit), sizeof(lit) - 1, (count) }
#define LINES(pfx, len, count)	{ A_LINES, (pfx), (len), (count) }
#define EXPECT(lit)		{ A_EXPECT, (lit), sizeof(lit) - 1, 0 }
#define DELAY(ms)		{ A_DELAY, NULL, 0, (ms) }
#define SILENT			{ A_SILENT, NULL, 0, 0 }
#define CLOSE			{ A_CLOSE, NULL, 0, 0 }
#define START_TLS		{ A_TLS, NULL, 0, 0 }
#define MAXACTS			16

#define GREET		SEND("220 mx.test ESMTP\r\n")
#define EHLO_WAIT	EXPECT("EHLO " EHLO_NAME)
#define EHLO_OK		EHLO_WAIT, SEND("250-mx.test Hello\r\n" \
			    "250-PIPELINING\r\n250 STARTTLS\r\n")
#define QUIT_OK		EXPECT("QUIT"), SEND("221 2.0.0 Bye\r\n")

enum target {
	TO_SERVER = 0,		/* the scripted server */
	TO_CLOSED_PORT,		/* refused */
	TO_FULL_BACKLOG,	/* SYN never answered: connect deadline */
	TO_UNREACHABLE		/* connect(2) fails at once */
};

enum tls_mode {
	TLS_NONE = 0,	/* on_tls_wanted must not be called */
	TLS_STUB,	/* smtp_client_tls_failed from inside on_tls_wanted */
	TLS_REAL,	/* an OpenSSL filter without BEV_OPT_CLOSE_ON_FREE */
	TLS_REAL_CLOSE	/* incref(raw), filter with BEV_OPT_CLOSE_ON_FREE */
};

struct client_case {
	const char	*name;
	struct act	 script[MAXACTS];
	enum target	 target;
	bool		 starttls;	/* on_ready: STARTTLS first, then QUIT */
	enum tls_mode	 tls;
	bool		 implicit_tls;
	bool		 no_ready_cb;
	int		 connect_ms, greeting_ms, reply_ms;

	/* Expectations; codes and texts are checked when set. */
	enum smtp_fail	 fail;
	enum smtp_step	 step;
	const char	*detail;	/* substring */
	int		 failed_code;
	bool		 no_greeting;
	int		 greeting_code;
	size_t		 greeting_lines;
	int		 ehlo_code, helo_code, starttls_code;
	const char	*ehlo_text;
	size_t		 ncaps, ncaps_tls;	/* always checked */
	const char	*has_cap, *lacks_cap;	/* smtp_client_has_cap */
	const char	*has_cap_tls, *lacks_cap_tls;
	int		 tls_wanted;		/* always checked */
	const char	*transcript;		/* always checked; NULL: "" */
	bool		 transcript_prefix;	/* only its start */
	long		 min_ms, max_ms;	/* start to on_done */
	long		 min_greeting_ms;
};

static const struct client_case cases[] = {
	{ .name = "multi-line greeting, EHLO, QUIT",
	  .script = { SEND("220-mx.test ESMTP\r\n220-second line\r\n"
	  "220 third\r\n"), EHLO_WAIT, SEND("250-mx.test Hello\r\n"
	  "250-SIZE 1000\r\n250-8bitmime\r\n250 STARTTLS\r\n"), QUIT_OK },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .greeting_code = 220, .greeting_lines = 3, .ehlo_code = 250,
	  .ncaps = 3, .has_cap = "8BITMIME", .lacks_cap = "SIZ",
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "greeting in delayed pieces: nothing sent before its end",
	  .script = { SEND("220-mx.test"), DELAY(100), SILENT,
	  SEND(" first\r\n220"), DELAY(100), SILENT, SEND(" last\r"),
	  DELAY(50), SILENT, SEND("\n"), EHLO_OK, QUIT_OK },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .greeting_code = 220, .greeting_lines = 2, .ncaps = 2,
	  .has_cap = "STARTTLS", .min_greeting_ms = 240,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "bare LF line endings",
	  .script = { SEND("220-mx.test\n220 ok\n"), EHLO_WAIT,
	  SEND("250-mx.test\n250 DSN\n"), EXPECT("QUIT"), SEND("221 bye\n") },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .greeting_code = 220, .greeting_lines = 2, .ncaps = 1,
	  .has_cap = "dsn",
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "no on_ready: the client quits by itself",
	  .script = { GREET, EHLO_OK, QUIT_OK }, .no_ready_cb = true,
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE, .ncaps = 2,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "no 221 to QUIT is still success",
	  .script = { GREET, EHLO_OK, EXPECT("QUIT") }, .reply_ms = 300,
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE, .ncaps = 2,
	  .min_ms = 290, .max_ms = 1500,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "421 greeting: no QUIT",
	  .script = { SEND("421 4.3.2 Service not available\r\n") },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .detail = "greeting: 421 4.3.2 Service", .failed_code = 421,
	  .greeting_code = 421 },
	{ .name = "421 greeting, then close",
	  .script = { SEND("421-4.7.0 too many\r\n421 4.7.0 bye\r\n"), CLOSE },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .failed_code = 421, .greeting_code = 421, .greeting_lines = 2 },
	{ .name = "554 greeting: QUIT, then fail",
	  .script = { SEND("554 5.7.1 Service unavailable; Client host "
	  "blocked\r\n"), EXPECT("QUIT"), SEND("221 bye\r\n") },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .detail = "554 5.7.1", .failed_code = 554, .greeting_code = 554,
	  .transcript = "QUIT\r\n" },
	{ .name = "554 greeting, QUIT unanswered: brief wait",
	  .script = { SEND("554 no\r\n"), EXPECT("QUIT") }, .reply_ms = 300,
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .failed_code = 554, .min_ms = 290, .max_ms = 1500,
	  .transcript = "QUIT\r\n" },
	{ .name = "554 greeting, server closes at once",
	  .script = { SEND("554 no\r\n"), CLOSE },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .failed_code = 554, .transcript_prefix = true },
	{ .name = "450 greeting: QUIT",
	  .script = { SEND("450 4.7.1 later\r\n"), QUIT_OK },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_GREETING,
	  .failed_code = 450, .transcript = "QUIT\r\n" },
	{ .name = "250 as greeting is out of protocol",
	  .script = { SEND("250 mx.test\r\n") },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "unexpected reply 250", .failed_code = 250 },
	{ .name = "greeting timeout: server silent",
	  .greeting_ms = 200,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_GREETING,
	  .detail = "within 200 ms", .no_greeting = true,
	  .min_ms = 195, .max_ms = 1500 },
	{ .name = "greeting timeout: greeting never ends",
	  .script = { SEND("220-mx.test\r\n220-still going\r\n") },
	  .greeting_ms = 200,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_GREETING,
	  .no_greeting = true, .min_ms = 195, .max_ms = 1500 },
	{ .name = "EHLO 502: HELO fallback, no caps",
	  .script = { GREET, EHLO_WAIT, SEND("502 5.5.2 Error: command not "
	  "recognized\r\n"), EXPECT("HELO " EHLO_NAME),
	  SEND("250 mx.test\r\n"), QUIT_OK },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .ehlo_code = 502, .helo_code = 250, .ncaps = 0,
	  .lacks_cap = "STARTTLS",
	  .transcript = "EHLO " EHLO_NAME "\r\nHELO " EHLO_NAME
	  "\r\nQUIT\r\n" },
	{ .name = "EHLO 550, HELO 550",
	  .script = { GREET, EHLO_WAIT, SEND("550 no EHLO\r\n"),
	  EXPECT("HELO " EHLO_NAME), SEND("550 no HELO either\r\n"), QUIT_OK },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_HELO,
	  .detail = "helo: 550 no HELO", .failed_code = 550,
	  .ehlo_code = 550, .helo_code = 550,
	  .transcript = "EHLO " EHLO_NAME "\r\nHELO " EHLO_NAME
	  "\r\nQUIT\r\n" },
	{ .name = "EHLO 421: no HELO, no QUIT",
	  .script = { GREET, EHLO_WAIT, SEND("421 4.7.0 closing\r\n") },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_EHLO, .failed_code = 421,
	  .transcript = "EHLO " EHLO_NAME "\r\n" },
	{ .name = "EHLO 451: no HELO, QUIT",
	  .script = { GREET, EHLO_WAIT, SEND("451 4.3.0 try later\r\n"),
	  QUIT_OK },
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_EHLO, .failed_code = 451,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "EHLO reply timeout",
	  .script = { GREET, EHLO_WAIT }, .reply_ms = 200,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_EHLO,
	  .detail = "ehlo: no complete reply within 200 ms",
	  .min_ms = 195, .max_ms = 1500,
	  .transcript = "EHLO " EHLO_NAME "\r\n" },
	{ .name = "data after the greeting is read as the EHLO reply",
	  .script = { SEND("220 mx.test\r\n250 early\r\n"), EHLO_WAIT,
	  SEND("250 late\r\n"), EXPECT("QUIT"), SEND("221 bye\r\n") },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .ehlo_code = 250, .ehlo_text = "early",
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "STARTTLS 454",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("454 4.7.0 TLS not available due to local problem\r\n"),
	  QUIT_OK }, .starttls = true,
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_STARTTLS,
	  .detail = "starttls: 454 4.7.0", .failed_code = 454,
	  .starttls_code = 454, .ncaps = 2,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\nQUIT\r\n" },
	{ .name = "STARTTLS 421",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("421 4.3.2 shutting down\r\n") }, .starttls = true,
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_STARTTLS,
	  .failed_code = 421, .starttls_code = 421, .ncaps = 2,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n" },
	{ .name = "STARTTLS 220, handshake fails inside on_tls_wanted",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready to start TLS\r\n") },
	  .starttls = true, .tls = TLS_STUB,
	  .fail = SMTP_FAIL_TLS, .step = SMTP_STEP_TLS,
	  .detail = "stub handshake failed", .starttls_code = 220,
	  .ncaps = 2, .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n" },
	{ .name = "STARTTLS 220 with injected plaintext after it",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n250 injected\r\n") },
	  .starttls = true, .tls = TLS_STUB,
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_STARTTLS,
	  .detail = "after the 220", .starttls_code = 220, .ncaps = 2,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n" },
	{ .name = "STARTTLS with a real handshake, EHLO again",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n"), START_TLS, EHLO_WAIT,
	  SEND("250-mx.test\r\n250-SIZE 100\r\n250-AUTH PLAIN\r\n"
	  "250 8BITMIME\r\n"), QUIT_OK },
	  .starttls = true, .tls = TLS_REAL,
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .starttls_code = 220, .ncaps = 2, .ncaps_tls = 3,
	  .has_cap = "STARTTLS", .lacks_cap = "AUTH",
	  .has_cap_tls = "auth", .lacks_cap_tls = "STARTTLS", .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\nEHLO " EHLO_NAME
	  "\r\nQUIT\r\n" },
	{ .name = "STARTTLS, filter with BEV_OPT_CLOSE_ON_FREE and incref",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n"), START_TLS, EHLO_WAIT,
	  SEND("250-mx.test\r\n250 AUTH PLAIN\r\n"), QUIT_OK },
	  .starttls = true, .tls = TLS_REAL_CLOSE,
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .starttls_code = 220, .ncaps = 2, .ncaps_tls = 1,
	  .has_cap_tls = "AUTH", .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\nEHLO " EHLO_NAME
	  "\r\nQUIT\r\n" },
	{ .name = "STARTTLS, CLOSE_ON_FREE filter, handshake fails",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n"), DELAY(100), SEND("500 no\r\n") },
	  .starttls = true, .tls = TLS_REAL_CLOSE,
	  .fail = SMTP_FAIL_TLS, .step = SMTP_STEP_TLS,
	  .ncaps = 2, .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n",
	  .transcript_prefix = true },
	{ .name = "STARTTLS, CLOSE_ON_FREE filter, TLS deadline",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n") }, .reply_ms = 300,
	  .starttls = true, .tls = TLS_REAL_CLOSE,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_TLS,
	  .ncaps = 2, .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n",
	  .transcript_prefix = true },
	{ .name = "STARTTLS, EHLO over TLS refused",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n"), START_TLS, EHLO_WAIT,
	  SEND("554 5.7.0 go away\r\n"), QUIT_OK },
	  .starttls = true, .tls = TLS_REAL,
	  .fail = SMTP_FAIL_RESP, .step = SMTP_STEP_EHLO_TLS,
	  .failed_code = 554, .ncaps = 2, .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\nEHLO " EHLO_NAME
	  "\r\nQUIT\r\n" },
	{ .name = "STARTTLS, server answers the ClientHello in plaintext",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n"), DELAY(100),
	  SEND("500 what is this?\r\n") },
	  .starttls = true, .tls = TLS_REAL,
	  .fail = SMTP_FAIL_TLS, .step = SMTP_STEP_TLS,
	  .detail = "handshake failed", .ncaps = 2, .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n",
	  .transcript_prefix = true },
	{ .name = "STARTTLS, handshake never answered: TLS deadline",
	  .script = { GREET, EHLO_OK, EXPECT("STARTTLS"),
	  SEND("220 2.0.0 Ready\r\n") }, .reply_ms = 300,
	  .starttls = true, .tls = TLS_REAL,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_TLS,
	  .detail = "handshake", .ncaps = 2, .tls_wanted = 1,
	  .min_ms = 290, .max_ms = 1500,
	  .transcript = "EHLO " EHLO_NAME "\r\nSTARTTLS\r\n",
	  .transcript_prefix = true },
	{ .name = "implicit TLS: greeting and EHLO over TLS",
	  .script = { START_TLS, GREET, EHLO_OK, QUIT_OK },
	  .implicit_tls = true, .tls = TLS_REAL,
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .greeting_code = 220, .ncaps = 0, .ncaps_tls = 2,
	  .has_cap = "PIPELINING", .has_cap_tls = "STARTTLS", .tls_wanted = 1,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "implicit TLS: handshake fails",
	  .implicit_tls = true, .tls = TLS_STUB,
	  .fail = SMTP_FAIL_TLS, .step = SMTP_STEP_TLS, .no_greeting = true,
	  .tls_wanted = 1 },
	{ .name = "greeting line over the cap",
	  .script = { SEND("220 "), REPEAT("x", 3000), SEND("\r\n") },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "longer than 2048", .no_greeting = true },
	{ .name = "endless line without LF fails at once, not on timeout",
	  .script = { SEND("220 "), REPEAT("y", 5000) },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "longer than", .no_greeting = true, .max_ms = 1500 },
	{ .name = "line of exactly SMTP_LINE_MAX bytes is fine",
	  .script = { LINES("220 ", SMTP_LINE_MAX - 4, 1), EHLO_OK, QUIT_OK },
	  .fail = SMTP_FAIL_NONE, .step = SMTP_STEP_DONE,
	  .greeting_code = 220, .ncaps = 2,
	  .transcript = "EHLO " EHLO_NAME "\r\nQUIT\r\n" },
	{ .name = "garbage binary greeting",
	  .script = { SEND("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\0\0"
	  "\r\n") },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "not three digits", .no_greeting = true },
	{ .name = "code mismatch in a multi-line greeting",
	  .script = { SEND("220-mx.test\r\n250 ok\r\n") },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "code 250", .no_greeting = true },
	{ .name = "too many lines in the EHLO reply",
	  .script = { GREET, EHLO_WAIT, REPEAT("250-X\r\n", 64),
	  SEND("250 Y\r\n") },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_EHLO,
	  .detail = "more than 64 lines",
	  .transcript = "EHLO " EHLO_NAME "\r\n" },
	{ .name = "session byte cap",
	  .script = { LINES("220-", 2000, 40) },
	  .fail = SMTP_FAIL_PROTO, .step = SMTP_STEP_GREETING,
	  .detail = "more than 65536 bytes", .no_greeting = true },
	{ .name = "server closes before the greeting",
	  .script = { CLOSE },
	  .fail = SMTP_FAIL_CLOSED, .step = SMTP_STEP_GREETING,
	  .detail = "closed by the server", .no_greeting = true },
	{ .name = "server closes in a multi-line greeting",
	  .script = { SEND("220-mx.test\r\n"), CLOSE },
	  .fail = SMTP_FAIL_CLOSED, .step = SMTP_STEP_GREETING,
	  .detail = "in the middle of a reply", .no_greeting = true },
	{ .name = "server closes in the middle of a line",
	  .script = { SEND("220 mx.te"), CLOSE },
	  .fail = SMTP_FAIL_CLOSED, .step = SMTP_STEP_GREETING,
	  .detail = "in the middle of a reply", .no_greeting = true },
	{ .name = "server closes after EHLO",
	  .script = { GREET, EHLO_WAIT, CLOSE },
	  .fail = SMTP_FAIL_CLOSED, .step = SMTP_STEP_EHLO,
	  .greeting_code = 220, .transcript = "EHLO " EHLO_NAME "\r\n" },
	{ .name = "greeting, then close at once",
	  .script = { GREET, CLOSE },
	  .fail = SMTP_FAIL_CLOSED, .step = SMTP_STEP_EHLO,
	  .greeting_code = 220, .transcript_prefix = true },
	{ .name = "connect refused", .target = TO_CLOSED_PORT,
	  .fail = SMTP_FAIL_CONN, .step = SMTP_STEP_CONNECT,
	  .detail = "refused", .no_greeting = true },
	{ .name = "connect deadline", .target = TO_FULL_BACKLOG,
	  .connect_ms = 200,
	  .fail = SMTP_FAIL_TIMEOUT, .step = SMTP_STEP_CONNECT,
	  .detail = "no connection within 200 ms", .no_greeting = true,
	  .min_ms = 195, .max_ms = 1500 },
	{ .name = "connect fails at once", .target = TO_UNREACHABLE,
	  .fail = SMTP_FAIL_CONN, .step = SMTP_STEP_CONNECT,
	  .detail = "connect: ", .no_greeting = true },
};

/* One server connection. */
struct srv {
	struct run		*run;
	struct bufferevent	*bev;
	struct evbuffer		*pending;	/* read, not yet EXPECTed */
	struct evbuffer		*transcript;	/* all the client sent */
	struct event		*delay;
	size_t			 pc;
	bool			 waiting;	/* on a DELAY */
	bool			 finished;	/* closed */
};

struct run {
	const struct client_case *tc;
	struct event_base	*base;
	struct evconnlistener	*listener;
	int			 plain_fd, filler_fd;
	struct srv		 srv;
	int			 accepted;
	struct smtp_client	*c;
	int			 done, ready, tls_wanted;
	bool			 in_start, done_in_start;
	struct timespec		 t0;
	long			 elapsed_ms;
	SSL			*cli_ssl;
	struct bufferevent	*cli_filter;	/* ours until handed over */
	char			 srv_error[256];
	bool			 silent_broken;
	struct event		*safety;
	bool			 hung;
};

static SSL_CTX *srv_ctx, *cli_ctx;

static void srv_run(struct srv *);

static long
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
run_check_end(struct run *r)
{
	if (r->done > 0 && (r->accepted == 0 || r->srv.finished))
		event_base_loopbreak(r->base);
}

static void
srv_error(struct srv *s, const char *fmt, ...)
{
	va_list ap;

	if (s->run->srv_error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(s->run->srv_error, sizeof(s->run->srv_error), fmt, ap);
	va_end(ap);
}

static void
srv_finish(struct srv *s)
{
	if (s->bev != NULL)
		bufferevent_free(s->bev);
	s->bev = NULL;
	s->finished = true;
	run_check_end(s->run);
}

static void
srv_readcb(struct bufferevent *bev, void *arg)
{
	struct srv *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	unsigned char *p = evbuffer_pullup(in, (ssize_t)n);

	evbuffer_add(s->transcript, p, n);
	evbuffer_add(s->pending, p, n);
	evbuffer_drain(in, n);
	srv_run(s);
}

static void
srv_eventcb(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		srv_finish(arg);
}

static void
srv_flushed(struct bufferevent *bev, void *arg)
{
	srv_finish(arg);
}

static void
srv_delay_done(evutil_socket_t fd, short what, void *arg)
{
	struct srv *s = arg;

	s->waiting = false;
	srv_run(s);
}

/* EXPECT: 1 if a line was there (matching or not), 0 if not yet. */
static int
srv_expect(struct srv *s, const struct act *a)
{
	struct evbuffer_ptr eol;
	size_t eol_len, n;
	char line[4096];

	eol = evbuffer_search_eol(s->pending, NULL, &eol_len, EVBUFFER_EOL_LF);
	if (eol.pos == -1)
		return 0;
	n = (size_t)eol.pos < sizeof(line) ? (size_t)eol.pos : sizeof(line) - 1;
	evbuffer_remove(s->pending, line, n);
	evbuffer_drain(s->pending, (size_t)eol.pos - n + eol_len);
	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (n != a->len || memcmp(line, a->s, n) != 0)
		srv_error(s, "step %zu: expected \"%s\", got \"%.*s\"", s->pc,
		    a->s, (int)n, line);
	return 1;
}

static void
srv_write_lines(struct srv *s, const struct act *a)
{
	int i;
	size_t j;

	for (i = 0; i < a->n; i++) {
		bufferevent_write(s->bev, a->s, strlen(a->s));
		for (j = 0; j < a->len; j++)
			bufferevent_write(s->bev, "x", 1);
		bufferevent_write(s->bev, "\r\n", 2);
	}
}

static void
srv_start_tls(struct srv *s)
{
	SSL *ssl = SSL_new(srv_ctx);
	struct bufferevent *tls;

	tls = bufferevent_openssl_filter_new(s->run->base, s->bev, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	assert_non_null(tls);
	s->bev = tls;
	bufferevent_setcb(tls, srv_readcb, NULL, srv_eventcb, s);
	bufferevent_enable(tls, EV_READ | EV_WRITE);
}

static void
srv_run(struct srv *s)
{
	const struct act *script = s->run->tc->script;
	struct timeval tv;
	int i;

	while (!s->finished && !s->waiting && s->pc < MAXACTS &&
	    script[s->pc].op != A_END) {
		const struct act *a = &script[s->pc];

		switch (a->op) {
		case A_SEND:
			bufferevent_write(s->bev, a->s, a->len);
			break;
		case A_REPEAT:
			for (i = 0; i < a->n; i++)
				bufferevent_write(s->bev, a->s, a->len);
			break;
		case A_LINES:
			srv_write_lines(s, a);
			break;
		case A_EXPECT:
			if (srv_expect(s, a) == 0)
				return;
			break;
		case A_DELAY:
			tv.tv_sec = a->n / 1000;
			tv.tv_usec = (a->n % 1000) * 1000;
			evtimer_add(s->delay, &tv);
			s->waiting = true;
			break;
		case A_SILENT:
			if (evbuffer_get_length(s->transcript) > 0)
				s->run->silent_broken = true;
			break;
		case A_CLOSE:
			s->pc++;
			if (evbuffer_get_length(
			    bufferevent_get_output(s->bev)) == 0)
				srv_finish(s);
			else
				bufferevent_setcb(s->bev, NULL, srv_flushed,
				    srv_eventcb, s);
			return;
		case A_TLS:
			srv_start_tls(s);
			break;
		case A_END:
			break;
		}
		s->pc++;
	}
}

static void
srv_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct run *r = arg;
	struct srv *s = &r->srv;

	if (r->accepted++ > 0) {
		evutil_closesocket(fd);
		srv_error(s, "a second connection");
		return;
	}
	s->bev = bufferevent_socket_new(r->base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(s->bev, srv_readcb, NULL, srv_eventcb, s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	srv_run(s);
}

static void
cli_tls_eventcb(struct bufferevent *bev, short what, void *arg)
{
	struct run *r = arg;
	struct bufferevent *filter = r->cli_filter;

	if (what & BEV_EVENT_CONNECTED) {
		r->cli_filter = NULL;
		smtp_client_tls_done(r->c, filter);
	} else if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF)) {
		/* The filter is still ours: tls_failed, then free it. */
		smtp_client_tls_failed(r->c, "handshake failed");
		r->cli_filter = NULL;
		bufferevent_free(filter);
	}
}

static void
on_ready(struct smtp_client *c, void *arg)
{
	struct run *r = arg;

	r->ready++;
	if (r->tc->starttls && r->tls_wanted == 0)
		smtp_client_starttls(c);
	else
		smtp_client_quit(c);
}

static void
on_tls_wanted(struct smtp_client *c, struct bufferevent *raw, void *arg)
{
	struct run *r = arg;

	r->tls_wanted++;
	switch (r->tc->tls) {
	case TLS_NONE:
		smtp_client_tls_failed(c, "on_tls_wanted not expected");
		break;
	case TLS_STUB:
		smtp_client_tls_failed(c, "stub handshake failed");
		break;
	case TLS_REAL:
		/* Contract a): no CLOSE_ON_FREE, the SSL stays ours. */
		r->cli_ssl = SSL_new(cli_ctx);
		r->cli_filter = bufferevent_openssl_filter_new(r->base, raw,
		    r->cli_ssl, BUFFEREVENT_SSL_CONNECTING, 0);
		assert_non_null(r->cli_filter);
		bufferevent_setcb(r->cli_filter, NULL, NULL, cli_tls_eventcb,
		    r);
		bufferevent_enable(r->cli_filter, EV_READ | EV_WRITE);
		break;
	case TLS_REAL_CLOSE:
		/* Contract b), as tls/handshake.c: the filter owns its SSL
		 * and drops the extra reference on raw. */
		bufferevent_incref(raw);
		r->cli_filter = bufferevent_openssl_filter_new(r->base, raw,
		    SSL_new(cli_ctx), BUFFEREVENT_SSL_CONNECTING,
		    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
		assert_non_null(r->cli_filter);
		bufferevent_setcb(r->cli_filter, NULL, NULL, cli_tls_eventcb,
		    r);
		bufferevent_enable(r->cli_filter, EV_READ | EV_WRITE);
		break;
	}
}

static void
on_done(struct smtp_client *c, void *arg)
{
	struct run *r = arg;

	r->done++;
	if (r->in_start)
		r->done_in_start = true;
	r->elapsed_ms = ms_since(&r->t0);
	/* A handshake still running when the session ended: ours to free. */
	if (r->cli_filter != NULL) {
		bufferevent_free(r->cli_filter);
		r->cli_filter = NULL;
	}
	run_check_end(r);
}

static void
safety_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	r->hung = true;
	event_base_loopbreak(r->base);
}

static socklen_t
loopback(struct sockaddr_storage *ss, int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*sin);
}

static int
fd_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	return ntohs(sin.sin_port);
}

/* A listening socket, or with full set, one whose backlog is full so
 * that the next SYN goes unanswered. */
static int
plain_listener(struct run *r, bool full)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	port = fd_port(fd);
	if (!full) {
		close(fd);	/* nobody listens there any more: refused */
		return port;
	}
	assert_int_equal(listen(fd, 0), 0);
	r->plain_fd = fd;
	r->filler_fd = socket(AF_INET, SOCK_STREAM, 0);
	len = loopback(&ss, port);
	assert_int_equal(connect(r->filler_fd, (struct sockaddr *)&ss, len), 0);
	return port;
}

static int
run_target(struct run *r, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	int port;

	switch (r->tc->target) {
	case TO_SERVER:
		*len = loopback(ss, 0);
		r->listener = evconnlistener_new_bind(r->base, srv_accept, r,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16,
		    (struct sockaddr *)ss, (int)*len);
		assert_non_null(r->listener);
		port = fd_port(evconnlistener_get_fd(r->listener));
		break;
	case TO_CLOSED_PORT:
		port = plain_listener(r, false);
		break;
	case TO_FULL_BACKLOG:
		port = plain_listener(r, true);
		break;
	default:
		*len = loopback(ss, 25);
		inet_pton(AF_INET, "224.0.0.1", &sin->sin_addr);
		return 0;
	}
	*len = loopback(ss, port);
	return 0;
}

static void
run_free(struct run *r)
{
	smtp_client_free(r->c);
	/* The client freed the filter; the SSL object is ours (contract). */
	SSL_free(r->cli_ssl);
	if (r->srv.bev != NULL)
		bufferevent_free(r->srv.bev);
	evbuffer_free(r->srv.pending);
	evbuffer_free(r->srv.transcript);
	event_free(r->srv.delay);
	event_free(r->safety);
	if (r->listener != NULL)
		evconnlistener_free(r->listener);
	if (r->plain_fd >= 0)
		close(r->plain_fd);
	if (r->filler_fd >= 0)
		close(r->filler_fd);
	event_base_free(r->base);
}

static int
ms_or(int ms)
{
	return ms != 0 ? ms : DEFAULT_MS;
}

static void
run_case(const struct client_case *tc, struct run *r)
{
	struct smtp_client_params params = { 0 };
	struct smtp_client_cbs cbs = { on_ready, on_tls_wanted, on_done };
	struct sockaddr_storage ss;
	struct timeval tv = { SAFETY_MS / 1000, 0 };

	memset(r, 0, sizeof(*r));
	r->tc = tc;
	r->plain_fd = r->filler_fd = -1;
	r->base = event_base_new();
	r->srv.run = r;
	r->srv.pending = evbuffer_new();
	r->srv.transcript = evbuffer_new();
	r->srv.delay = evtimer_new(r->base, srv_delay_done, &r->srv);
	r->safety = evtimer_new(r->base, safety_cb, r);
	evtimer_add(r->safety, &tv);
	run_target(r, &ss, &params.salen);

	params.sa = (struct sockaddr *)&ss;
	params.ehlo_name = EHLO_NAME;
	params.connect_timeout_ms = ms_or(tc->connect_ms);
	params.greeting_timeout_ms = ms_or(tc->greeting_ms);
	params.reply_timeout_ms = ms_or(tc->reply_ms);
	params.implicit_tls = tc->implicit_tls;
	if (tc->no_ready_cb)
		cbs.on_ready = NULL;
	r->c = smtp_client_new(r->base, &params, &cbs, r);
	assert_non_null(r->c);

	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->in_start = true;
	smtp_client_start(r->c);
	r->in_start = false;
	event_base_dispatch(r->base);
}

static void
check_reply(const char *what, const struct smtp_reply *rp, int code)
{
	assert_non_null(rp);
	assert_non_null(rp->text);
	if (code != 0 && rp->code != code)
		fail_msg("%s: code %d, expected %d", what, rp->code, code);
}

static void
check_transcript(const struct client_case *tc, struct run *r)
{
	const char *want = tc->transcript != NULL ? tc->transcript : "";
	size_t want_len = strlen(want);
	size_t got_len = evbuffer_get_length(r->srv.transcript);
	const unsigned char *got = evbuffer_pullup(r->srv.transcript, -1);

	if (tc->transcript_prefix ? got_len < want_len : got_len != want_len)
		fail_msg("transcript: %zu bytes, expected %s%zu", got_len,
		    tc->transcript_prefix ? "at least " : "", want_len);
	if (want_len > 0)
		assert_memory_equal(got, want, want_len);
}

static void
check_case(const struct client_case *tc, struct run *r)
{
	const struct smtp_client *c = r->c;
	const struct smtp_reply *g = smtp_client_greeting(c);

	if (r->hung)
		fail_msg("hung: no on_done within %d ms", SAFETY_MS);
	if (r->srv_error[0] != '\0')
		fail_msg("server: %s", r->srv_error);
	assert_false(r->silent_broken);
	assert_int_equal(r->done, 1);
	assert_false(r->done_in_start);
	if (smtp_client_fail(c) != tc->fail || smtp_client_step(c) != tc->step)
		fail_msg("got %s at %s (%s), expected %s at %s",
		    smtp_fail_name(smtp_client_fail(c)),
		    smtp_step_name(smtp_client_step(c)), smtp_client_detail(c),
		    smtp_fail_name(tc->fail), smtp_step_name(tc->step));
	if (tc->fail == SMTP_FAIL_NONE)
		assert_string_equal(smtp_client_detail(c), "");
	else if (tc->detail != NULL &&
	    strstr(smtp_client_detail(c), tc->detail) == NULL)
		fail_msg("detail \"%s\" lacks \"%s\"", smtp_client_detail(c),
		    tc->detail);
	check_reply("failed", smtp_client_failed_reply(c), tc->failed_code);
	if (tc->failed_code == 0 && tc->fail != SMTP_FAIL_PROTO)
		assert_int_equal(smtp_client_failed_reply(c)->code, 0);
	check_reply("greeting", g, tc->greeting_code);
	if (tc->no_greeting) {
		assert_int_equal(g->code, 0);
		assert_string_equal(g->text, "");
		assert_int_equal(smtp_client_greeting_ms(c), -1);
	} else if (tc->target == TO_SERVER && !tc->implicit_tls &&
	    tc->fail != SMTP_FAIL_TLS)
		assert_true(smtp_client_greeting_ms(c) >= tc->min_greeting_ms);
	if (tc->greeting_lines != 0)
		assert_int_equal(g->nlines, tc->greeting_lines);
	check_reply("ehlo", smtp_client_ehlo_reply(c), tc->ehlo_code);
	check_reply("helo", smtp_client_helo_reply(c), tc->helo_code);
	check_reply("starttls", smtp_client_starttls_reply(c),
	    tc->starttls_code);
	if (tc->ehlo_text != NULL)
		assert_string_equal(smtp_client_ehlo_reply(c)->text,
		    tc->ehlo_text);
	assert_int_equal(smtp_client_caps(c)->n, tc->ncaps);
	assert_int_equal(smtp_client_caps_tls(c)->n, tc->ncaps_tls);
	if (tc->has_cap != NULL)
		assert_true(smtp_client_has_cap(c, tc->has_cap));
	if (tc->lacks_cap != NULL)
		assert_false(smtp_client_has_cap(c, tc->lacks_cap));
	if (tc->has_cap_tls != NULL)
		assert_true(smtp_caps_has(smtp_client_caps_tls(c),
		    tc->has_cap_tls));
	if (tc->lacks_cap_tls != NULL)
		assert_false(smtp_caps_has(smtp_client_caps_tls(c),
		    tc->lacks_cap_tls));
	assert_int_equal(r->tls_wanted, tc->tls_wanted);
	assert_int_equal(smtp_client_connected(c), tc->target == TO_SERVER);
	check_transcript(tc, r);
	if (tc->min_ms != 0 && r->elapsed_ms < tc->min_ms)
		fail_msg("ended after %ld ms, expected >= %ld", r->elapsed_ms,
		    tc->min_ms);
	if (tc->max_ms != 0 && r->elapsed_ms > tc->max_ms)
		fail_msg("ended after %ld ms, expected <= %ld", r->elapsed_ms,
		    tc->max_ms);
}

static void
test_case(void **state)
{
	const struct client_case *tc = *state;
	struct run r;

	run_case(tc, &r);
	check_case(tc, &r);
	run_free(&r);
}

/* Unusable params: NULL, never a half-made client. */
static void
test_new_invalid(void **state)
{
	struct event_base *base = event_base_new();
	struct smtp_client_cbs cbs = { 0 };
	struct smtp_client_params p;
	struct sockaddr_storage ss;
	struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "x" };
	char longname[300];
	const char *bad_names[] = { NULL, "", "a b", "a\r\nMAIL FROM:<>",
	    "a\tb", "caf\xc3\xa9", longname };
	size_t i;

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(&p, 0, sizeof(p));
	p.salen = loopback(&ss, 25);
	p.sa = (struct sockaddr *)&ss;
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		p.ehlo_name = bad_names[i];
		assert_null(smtp_client_new(base, &p, &cbs, NULL));
	}
	p.ehlo_name = "ok.example";
	assert_null(smtp_client_new(NULL, &p, &cbs, NULL));
	assert_null(smtp_client_new(base, NULL, &cbs, NULL));
	p.salen = 4;
	assert_null(smtp_client_new(base, &p, &cbs, NULL));
	p.salen = sizeof(ss) + 1;
	assert_null(smtp_client_new(base, &p, &cbs, NULL));
	p.sa = (struct sockaddr *)&un;
	p.salen = sizeof(un);
	assert_null(smtp_client_new(base, &p, &cbs, NULL));
	p.sa = NULL;
	assert_null(smtp_client_new(base, &p, &cbs, NULL));
	smtp_client_free(NULL);
	event_base_free(base);
}

static void
test_names(void **state)
{
	assert_string_equal(smtp_fail_name(SMTP_FAIL_NONE), "none");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_CONN), "conn");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_TIMEOUT), "timeout");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_CLOSED), "closed");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_PROTO), "proto");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_RESP), "resp");
	assert_string_equal(smtp_fail_name(SMTP_FAIL_TLS), "tls");
	assert_string_equal(smtp_fail_name((enum smtp_fail)99), "unknown");
	assert_string_equal(smtp_step_name(SMTP_STEP_CONNECT), "connect");
	assert_string_equal(smtp_step_name(SMTP_STEP_GREETING), "greeting");
	assert_string_equal(smtp_step_name(SMTP_STEP_EHLO), "ehlo");
	assert_string_equal(smtp_step_name(SMTP_STEP_HELO), "helo");
	assert_string_equal(smtp_step_name(SMTP_STEP_STARTTLS), "starttls");
	assert_string_equal(smtp_step_name(SMTP_STEP_TLS), "tls");
	assert_string_equal(smtp_step_name(SMTP_STEP_EHLO_TLS), "ehlo-tls");
	assert_string_equal(smtp_step_name(SMTP_STEP_QUIT), "quit");
	assert_string_equal(smtp_step_name(SMTP_STEP_DONE), "done");
	assert_string_equal(smtp_step_name((enum smtp_step)-1), "unknown");
}

static void
count_done(struct smtp_client *c, void *arg)
{
	(*(int *)arg)++;
}

/* Never started, and abandoned mid-session: freed without on_done and
 * without leaks (ASan). */
static void
test_free_early(void **state)
{
	struct event_base *base = event_base_new();
	struct smtp_client_cbs cbs = { NULL, NULL, count_done };
	struct smtp_client_params p = { 0 };
	struct sockaddr_storage ss;
	struct smtp_client *c;
	struct timeval tv = { 0, 100000 };
	int done = 0, fd;
	struct run r;

	memset(&r, 0, sizeof(r));
	p.ehlo_name = "ok.example";
	p.sa = (struct sockaddr *)&ss;
	p.salen = loopback(&ss, 25);
	c = smtp_client_new(base, &p, &cbs, &done);
	assert_non_null(c);
	assert_int_equal(smtp_client_fail(c), SMTP_FAIL_NONE);
	assert_false(smtp_client_connected(c));
	assert_int_equal(smtp_client_greeting(c)->code, 0);
	smtp_client_free(c);

	/* A listener that accepts (kernel backlog) but never speaks. */
	r.plain_fd = r.filler_fd = -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	p.salen = loopback(&ss, 0);
	assert_int_equal(bind(fd, p.sa, p.salen), 0);
	assert_int_equal(listen(fd, 4), 0);
	p.salen = loopback(&ss, fd_port(fd));
	c = smtp_client_new(base, &p, &cbs, &done);
	smtp_client_start(c);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	assert_true(smtp_client_connected(c));
	smtp_client_free(c);
	tv.tv_usec = 50000;
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	assert_int_equal(done, 0);
	close(fd);
	event_base_free(base);
}

static struct bufferevent *late_tls;

static void
late_calls(struct smtp_client *c, void *arg)
{
	(*(int *)arg)++;
	/* All ignored after the end, and none calls on_done again. */
	smtp_client_start(c);
	smtp_client_starttls(c);
	smtp_client_quit(c);
	smtp_client_tls_failed(c, "late");
	smtp_client_tls_done(c, late_tls);	/* freed: ownership taken */
}

static void
test_late_calls(void **state)
{
	struct event_base *base = event_base_new();
	struct smtp_client_cbs cbs = { NULL, NULL, late_calls };
	struct smtp_client_params p = { 0 };
	struct sockaddr_storage ss;
	struct smtp_client *c;
	int done = 0;

	late_tls = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	p.ehlo_name = "ok.example";
	p.sa = (struct sockaddr *)&ss;
	p.salen = loopback(&ss, 25);
	inet_pton(AF_INET, "224.0.0.1", &((struct sockaddr_in *)&ss)->sin_addr);
	c = smtp_client_new(base, &p, &cbs, &done);
	smtp_client_start(c);
	assert_int_equal(done, 0);
	event_base_dispatch(base);
	assert_int_equal(done, 1);
	assert_int_equal(smtp_client_fail(c), SMTP_FAIL_CONN);
	assert_int_equal(smtp_client_step(c), SMTP_STEP_CONNECT);
	smtp_client_free(c);
	event_base_free(base);
}

/* A self-signed P-256 certificate for the scripted TLS server. */
static SSL_CTX *
make_srv_ctx(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	assert_non_null(key);
	assert_non_null(ctx);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"mx.test", -1, -1, 0);
	X509_set_issuer_name(x, name);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_int_equal(SSL_CTX_use_certificate(ctx, x), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
}

static int
group_setup(void **state)
{
	srv_ctx = make_srv_ctx();
	cli_ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_verify(cli_ctx, SSL_VERIFY_NONE, NULL);
	return 0;
}

static int
group_teardown(void **state)
{
	SSL_CTX_free(srv_ctx);
	SSL_CTX_free(cli_ctx);
	return 0;
}

int
main(void)
{
	enum { NCASES = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[NCASES + 4];
	size_t i;

	/* The client's contract: the program ignores SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* MXD_TEST_DEBUG=1: the client's state trace on stderr. */
	log_init(getenv("MXD_TEST_DEBUG") != NULL ? 2 : 0);
	memset(tests, 0, sizeof(tests));
	for (i = 0; i < NCASES; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_new_invalid);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_names);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_free_early);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_late_calls);
	return _cmocka_run_group_tests("smtp_client", tests, i, group_setup,
	    group_teardown);
}
