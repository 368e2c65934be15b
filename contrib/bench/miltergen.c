// SPDX-License-Identifier: BSD-2-Clause
/*
 * miltergen - a milter load generator for benchmarks.
 *
 * It speaks the milter protocol version 6 over TCP to a filter on
 * 127.0.0.1, with the command codes and flags of libmilter's mfdef.h.
 * Each of N threads opens one milter connection, negotiates options
 * (SMFIC_OPTNEG) and sends M messages of one file through connect, helo,
 * mail, rcpt, data, header, eoh, body and eom.  It reads every reply and
 * modification and honours the protocol flags the filter requests.
 * SMFIP_NO* skips a step, and SMFIP_NR_* means that step gets no reply.
 * By default one connection carries all M messages as one SMTP session
 * would; -k starts a new connection after every K messages.
 *
 * Output: one line with messages, seconds and messages/s, one with the
 * count of each final reply and of the header changes, so a run whose
 * replies are all tempfail is visible, and one with the action and
 * protocol flags the filter negotiated.  -d writes the first message with
 * the headers the filter inserted, for a signature or A-R check.
 *
 * DIAGNOSTICS: exits 1 when a connection, a read or the protocol fails
 * (with a message on stderr naming the thread and step), 2 on bad usage.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfdef.h>

/* libmilter rejects a packet larger than this unless the MTA and filter
 * negotiate SMFIP_MDS_256K or SMFIP_MDS_1M, which miltergen never offers. */
#define GEN_CHUNK_MAX 65535
#define GEN_REPLY_MAX (1024 * 1024)
#define GEN_HEADERS_MAX 1000
#define GEN_IO_TIMEOUT_SEC 30

/* Every action and every step flag of protocol version 6 except the
 * larger packet sizes and SMFIP_RCPT_REJ, which a benchmark never needs. */
#define GEN_ACTIONS 0x1ffU
#define GEN_PROTOCOL                                                     \
	(SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT |  \
	 SMFIP_NOBODY | SMFIP_NOHDRS | SMFIP_NOEOH | SMFIP_NR_HDR |      \
	 SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_SKIP | SMFIP_NR_CONN |   \
	 SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_DATA | \
	 SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_HDR_LEADSPC)

struct gen_header {
	const char *name;
	size_t name_len;
	const char *value; /* after the colon, folded lines joined with LF */
	size_t value_len;
};

/* The parsed message file, shared read-only by every thread. */
struct gen_message {
	char *text;
	struct gen_header headers[GEN_HEADERS_MAX];
	size_t header_count;
	const char *body;
	size_t body_len;
};

struct gen_options {
	int port;
	int connections;
	int messages;
	int per_connection;
	const char *client_addr;
	const char *dump_path;
	int quickack;
};

/* Final replies and modifications, counted per thread and summed. */
struct gen_counts {
	unsigned long accept, cont, tempfail, reject, discard, replycode;
	unsigned long quarantine, other, headers_added, headers_changed;
	unsigned long messages;
};

struct gen_thread {
	pthread_t thread;
	int id;
	struct gen_counts counts;
};

/* A connection's socket, negotiated flags and dump state. */
struct gen_conn {
	int fd;
	int thread_id;
	uint32_t protocol;
	FILE *dump; /* non-NULL while the first message is dumped */
	char *reply;
};

static struct gen_options options;
static struct gen_message message;

/* Flags the filter chose on thread 0's first connection, for the report. */
static uint32_t negotiated_actions, negotiated_protocol;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("miltergen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void usage(void)
{
	fputs("usage: miltergen -p PORT [-c CONNECTIONS] [-n MESSAGES]\n"
	      "                 [-k PER_CONNECTION] [-a CLIENT_ADDR] [-d DUMP]"
	      " [-q] FILE\n"
	      "  -p  filter port on 127.0.0.1\n"
	      "  -c  concurrent connections (default 1)\n"
	      "  -n  messages per connection (default 100)\n"
	      "  -k  messages per milter connection before a reconnect"
	      " (default: all)\n"
	      "  -a  client IPv4 address sent in SMFIC_CONNECT"
	      " (default 10.1.2.3)\n"
	      "  -d  write the first message with its inserted headers to"
	      " DUMP\n"
	      "  -q  set TCP_QUICKACK before each read, so the filter's"
	      " replies are\n"
	      "      not held by Nagle's algorithm waiting for a delayed"
	      " ACK\n",
	      stderr);
	exit(2);
}

/* --- message file -------------------------------------------------------- */

static void message_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	char *p, *end, *line;

	if (f == NULL)
		die("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("cannot size %s: %s", path, strerror(errno));
	message.text = malloc((size_t)size + 1);
	if (message.text == NULL)
		die("out of memory reading %s", path);
	if (fread(message.text, 1, (size_t)size, f) != (size_t)size)
		die("short read on %s", path);
	fclose(f);
	message.text[size] = '\0';
	end = message.text + size;

	/* Header fields end at the first empty line, and the file must use
	 * CRLF.  Folded lines are joined with a bare LF, as Postfix and
	 * Sendmail send them, so each CRLF inside a field becomes one LF. */
	p = message.text;
	while (p < end) {
		char *eol = strstr(p, "\r\n");
		char *colon;

		if (eol == NULL)
			die("%s: header line without CRLF", path);
		if (eol == p) {
			p += 2;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			struct gen_header *h;

			if (message.header_count == 0)
				die("%s: continuation line before a header", path);
			h = &message.headers[message.header_count - 1];
			/* Replace the CR before this line by LF and close the gap. */
			line = (char *)h->value + h->value_len;
			line[0] = '\n';
			memmove(line + 1, p, (size_t)(eol - p));
			h->value_len += 1 + (size_t)(eol - p);
			p = eol + 2;
			continue;
		}
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL)
			die("%s: header line without a colon", path);
		if (message.header_count == GEN_HEADERS_MAX)
			die("%s: more than %d header fields", path,
			    GEN_HEADERS_MAX);
		message.headers[message.header_count++] = (struct gen_header){
			.name = p,
			.name_len = (size_t)(colon - p),
			.value = colon + 1,
			.value_len = (size_t)(eol - colon - 1),
		};
		p = eol + 2;
	}
	message.body = p;
	message.body_len = (size_t)(end - p);
}

/* --- packets ------------------------------------------------------------- */

static void write_all(struct gen_conn *c, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(c->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("thread %d: write failed: %s", c->thread_id,
			    n < 0 ? strerror(errno) : "closed");
		p += n;
		len -= (size_t)n;
	}
}

static void read_all(struct gen_conn *c, void *data, size_t len)
{
	char *p = data;

	while (len > 0) {
		ssize_t n;

		/* Linux clears TCP_QUICKACK after a while, so set it again
		 * before each read. */
		if (options.quickack) {
			int one = 1;

			setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one,
				   sizeof(one));
		}
		n = read(c->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("thread %d: read failed: %s", c->thread_id,
			    errno == EAGAIN ? "timed out" : strerror(errno));
		if (n == 0)
			die("thread %d: filter closed the connection",
			    c->thread_id);
		p += n;
		len -= (size_t)n;
	}
}

/* Send one packet: 32-bit length (command byte included), command, data
 * given as (pointer, length) pairs ending with a NULL pointer. */
static void send_packet(struct gen_conn *c, char cmd, ...)
{
	char buf[GEN_CHUNK_MAX + 5];
	size_t len = 0;
	const char *part;
	va_list ap;
	uint32_t size;

	va_start(ap, cmd);
	while ((part = va_arg(ap, const char *)) != NULL) {
		size_t part_len = va_arg(ap, size_t);

		if (len + part_len > GEN_CHUNK_MAX)
			die("thread %d: packet '%c' longer than %d bytes",
			    c->thread_id, cmd, GEN_CHUNK_MAX);
		memcpy(buf + 5 + len, part, part_len);
		len += part_len;
	}
	va_end(ap);

	size = htonl((uint32_t)len + 1);
	memcpy(buf, &size, 4);
	buf[4] = cmd;
	write_all(c, buf, len + 5);
}

/* Read one reply packet into c->reply.  Returns its command byte and sets
 * *len to the data length. */
static char read_packet(struct gen_conn *c, size_t *len)
{
	uint32_t size;
	char cmd;

	read_all(c, &size, 4);
	size = ntohl(size);
	if (size < 1 || size > GEN_REPLY_MAX)
		die("thread %d: invalid reply length %u", c->thread_id,
		    (unsigned)size);
	read_all(c, &cmd, 1);
	*len = size - 1;
	read_all(c, c->reply, *len);
	c->reply[*len] = '\0';
	return cmd;
}

/* --- replies ------------------------------------------------------------- */

/* Count one final reply.  Returns 1 when it ends the message early. */
static int count_final(struct gen_counts *n, char cmd, const char *data)
{
	switch (cmd) {
	case SMFIR_ACCEPT:
		n->accept++;
		return 1;
	case SMFIR_CONTINUE:
		n->cont++;
		return 0;
	case SMFIR_TEMPFAIL:
		n->tempfail++;
		return 1;
	case SMFIR_REJECT:
		n->reject++;
		return 1;
	case SMFIR_DISCARD:
		n->discard++;
		return 1;
	case SMFIR_REPLYCODE:
		/* An SMTP code: 4xx counts as tempfail, 5xx as reject. */
		if (data[0] == '4')
			n->tempfail++;
		else
			n->reject++;
		n->replycode++;
		return 1;
	default:
		n->other++;
		return 1;
	}
}

/* Write an SMFIR_ADDHEADER or SMFIR_INSHEADER field to the dump file.
 * The data is an optional 32-bit index, then NAME NUL VALUE NUL. */
static void dump_header(struct gen_conn *c, char cmd, const char *data,
			size_t len)
{
	const char *name = data, *value;

	if (cmd == SMFIR_INSHEADER) {
		if (len < 4)
			die("thread %d: short SMFIR_INSHEADER", c->thread_id);
		name += 4;
		len -= 4;
	}
	value = memchr(name, '\0', len);
	if (value == NULL)
		die("thread %d: header reply without NUL", c->thread_id);
	value++;
	fprintf(c->dump, "%s:", name);
	for (; *value != '\0'; value++) {
		if (*value == '\n')
			fputc('\r', c->dump);
		fputc(*value, c->dump);
	}
	fputs("\r\n", c->dump);
}

/* Read replies to one step until a final reply, skipping progress packets
 * and counting modifications.  Returns 1 when the message ends here. */
static int read_reply(struct gen_conn *c, struct gen_counts *n, int eom)
{
	for (int i = 0; i < 10000; i++) {
		size_t len;
		char cmd = read_packet(c, &len);

		switch (cmd) {
		case SMFIR_PROGRESS:
			continue;
		case SMFIR_ADDHEADER:
		case SMFIR_INSHEADER:
			n->headers_added++;
			if (c->dump != NULL)
				dump_header(c, cmd, c->reply, len);
			continue;
		case SMFIR_CHGHEADER:
			n->headers_changed++;
			continue;
		case SMFIR_QUARANTINE:
			n->quarantine++;
			continue;
		case SMFIR_ADDRCPT:
		case SMFIR_DELRCPT:
		case SMFIR_ADDRCPT_PAR:
		case SMFIR_REPLBODY:
		case SMFIR_CHGFROM:
			continue;
		case SMFIR_SKIP:
			return 0;
		default:
			if (!eom && cmd == SMFIR_CONTINUE)
				return 0;
			return count_final(n, cmd, c->reply);
		}
	}
	die("thread %d: more than 10000 reply packets for one step",
	    c->thread_id);
}

/* --- session ------------------------------------------------------------- */

static void conn_open(struct gen_conn *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = GEN_IO_TIMEOUT_SEC };
	char opt[MILTER_OPTLEN];
	uint32_t v[3] = { htonl(SMFI_PROT_VERSION), htonl(GEN_ACTIONS),
			  htonl(GEN_PROTOCOL) };
	int one = 1;
	size_t len;
	char cmd;

	sin.sin_port = htons((uint16_t)options.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		die("thread %d: socket failed: %s", c->thread_id,
		    strerror(errno));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		die("thread %d: connect to 127.0.0.1:%d failed: %s",
		    c->thread_id, options.port, strerror(errno));

	/* SMFIC_OPTNEG carries version, actions and protocol flags.  The
	 * reply contains the filter's choice of each, then optional macro
	 * lists.  miltergen ignores those lists and sends its fixed macros. */
	memcpy(opt, v, sizeof(opt));
	send_packet(c, SMFIC_OPTNEG, opt, sizeof(opt), (char *)NULL);
	cmd = read_packet(c, &len);
	if (cmd != SMFIC_OPTNEG || len < MILTER_OPTLEN)
		die("thread %d: invalid option negotiation reply '%c'",
		    c->thread_id, cmd);
	memcpy(v, c->reply, sizeof(v));
	if (ntohl(v[0]) < 2)
		die("thread %d: filter protocol version %u is too old",
		    c->thread_id, (unsigned)ntohl(v[0]));
	c->protocol = ntohl(v[2]);
	if (c->thread_id == 0) {
		negotiated_actions = ntohl(v[1]);
		negotiated_protocol = c->protocol;
	}
	if (c->protocol & ~GEN_PROTOCOL)
		die("thread %d: filter requested protocol flags 0x%x that"
		    " were not offered", c->thread_id,
		    (unsigned)(c->protocol & ~GEN_PROTOCOL));
}

/* Send one step unless SKIP_FLAG is negotiated, and read its reply unless
 * NR_FLAG is.  Returns 1 when the filter ended the message. */
static int step(struct gen_conn *c, struct gen_counts *n, uint32_t skip_flag,
		uint32_t nr_flag, char cmd, const char *data, size_t len)
{
	if (c->protocol & skip_flag)
		return 0;
	send_packet(c, cmd, data, len, (char *)NULL);
	if (c->protocol & nr_flag)
		return 0;
	return read_reply(c, n, 0);
}

static void send_macro(struct gen_conn *c, char stage, const char *name,
		       const char *value)
{
	send_packet(c, SMFIC_MACRO, &stage, (size_t)1, name, strlen(name) + 1,
		    value, strlen(value) + 1, (char *)NULL);
}

/* Send SMFIC_CONNECT and SMFIC_HELO.  Returns 1 when the filter ended
 * the session there. */
static int send_connect(struct gen_conn *c, struct gen_counts *n)
{
	char data[256];
	uint16_t port = htons(25000);
	int len;

	/* hostname NUL, family, port in network order, address NUL */
	len = snprintf(data, sizeof(data), "client.example%c%c",
		       '\0', SMFIA_INET);
	memcpy(data + len, &port, 2);
	len += 2;
	len += snprintf(data + len, sizeof(data) - (size_t)len, "%s",
			options.client_addr) + 1;

	send_macro(c, SMFIC_CONNECT, "j", "mx.bench.test");
	send_macro(c, SMFIC_CONNECT, "{client_addr}", options.client_addr);
	if (step(c, n, SMFIP_NOCONNECT, SMFIP_NR_CONN, SMFIC_CONNECT, data,
		 (size_t)len))
		return 1;
	return step(c, n, SMFIP_NOHELO, SMFIP_NR_HELO, SMFIC_HELO,
		    "client.example", sizeof("client.example"));
}

static int send_headers(struct gen_conn *c, struct gen_counts *n)
{
	char buf[GEN_CHUNK_MAX];

	if (c->protocol & SMFIP_NOHDRS)
		return 0;
	for (size_t i = 0; i < message.header_count; i++) {
		const struct gen_header *h = &message.headers[i];
		const char *value = h->value;
		size_t value_len = h->value_len;

		/* Without SMFIP_HDR_LEADSPC the MTA drops the space after
		 * the colon, as Postfix does. */
		if (!(c->protocol & SMFIP_HDR_LEADSPC) && value_len > 0 &&
		    (*value == ' ' || *value == '\t')) {
			value++;
			value_len--;
		}
		if (h->name_len + value_len + 2 > sizeof(buf))
			die("header field %.*s is too long", (int)h->name_len,
			    h->name);
		memcpy(buf, h->name, h->name_len);
		buf[h->name_len] = '\0';
		memcpy(buf + h->name_len + 1, value, value_len);
		buf[h->name_len + 1 + value_len] = '\0';
		if (step(c, n, 0, SMFIP_NR_HDR, SMFIC_HEADER, buf,
			 h->name_len + value_len + 2))
			return 1;
	}
	return 0;
}

/* Send one message from MAIL to end of message and read the replies. */
static void send_message(struct gen_conn *c, struct gen_counts *n,
			 unsigned long seq)
{
	char queue_id[32];
	size_t off;

	snprintf(queue_id, sizeof(queue_id), "B%02dQ%06lu", c->thread_id, seq);
	send_macro(c, SMFIC_MAIL, "i", queue_id);
	send_macro(c, SMFIC_MAIL, "{mail_addr}", "alice@example.com");
	if (step(c, n, SMFIP_NOMAIL, SMFIP_NR_MAIL, SMFIC_MAIL,
		 "<alice@example.com>", sizeof("<alice@example.com>")))
		goto ended;
	send_macro(c, SMFIC_RCPT, "{rcpt_addr}", "bob@example.net");
	if (step(c, n, SMFIP_NORCPT, SMFIP_NR_RCPT, SMFIC_RCPT,
		 "<bob@example.net>", sizeof("<bob@example.net>")))
		goto ended;
	send_macro(c, SMFIC_DATA, "i", queue_id);
	if (step(c, n, SMFIP_NODATA, SMFIP_NR_DATA, SMFIC_DATA, "", 0))
		goto ended;
	if (send_headers(c, n))
		goto ended;
	send_macro(c, SMFIC_EOH, "i", queue_id);
	if (step(c, n, SMFIP_NOEOH, SMFIP_NR_EOH, SMFIC_EOH, "", 0))
		goto ended;

	if (!(c->protocol & SMFIP_NOBODY)) {
		for (off = 0; off < message.body_len; off += GEN_CHUNK_MAX) {
			size_t len = message.body_len - off;

			if (len > GEN_CHUNK_MAX)
				len = GEN_CHUNK_MAX;
			send_packet(c, SMFIC_BODY, message.body + off, len,
				    (char *)NULL);
			if (c->protocol & SMFIP_NR_BODY)
				continue;
			if (read_reply(c, n, 0))
				goto ended;
		}
	}

	send_macro(c, SMFIC_BODYEOB, "i", queue_id);
	send_packet(c, SMFIC_BODYEOB, (char *)NULL);
	read_reply(c, n, 1);
	n->messages++;
	return;

ended:
	/* The filter gave a final reply before end of message, so the MTA
	 * would abort this transaction and go on with the next one. */
	send_packet(c, SMFIC_ABORT, (char *)NULL);
	n->messages++;
}

static void write_dump_body(FILE *dump)
{
	for (size_t i = 0; i < message.header_count; i++) {
		const struct gen_header *h = &message.headers[i];

		fprintf(dump, "%.*s:", (int)h->name_len, h->name);
		for (size_t j = 0; j < h->value_len; j++) {
			if (h->value[j] == '\n')
				fputc('\r', dump);
			fputc(h->value[j], dump);
		}
		fputs("\r\n", dump);
	}
	fputs("\r\n", dump);
	fwrite(message.body, 1, message.body_len, dump);
}

static void *thread_main(void *arg)
{
	struct gen_thread *t = arg;
	struct gen_conn c = { .fd = -1, .thread_id = t->id };
	int sent = 0;

	c.reply = malloc(GEN_REPLY_MAX + 1);
	if (c.reply == NULL)
		die("thread %d: out of memory", t->id);

	while (sent < options.messages) {
		int batch = options.messages - sent;

		if (options.per_connection > 0 && batch > options.per_connection)
			batch = options.per_connection;
		conn_open(&c);
		if (send_connect(&c, &t->counts)) {
			/* The filter ended the session at connect or helo. */
			sent += batch;
			t->counts.messages += (unsigned long)batch;
		} else {
			for (int i = 0; i < batch; i++, sent++) {
				if (t->id == 0 && sent == 0 &&
				    options.dump_path != NULL) {
					c.dump = fopen(options.dump_path, "wb");
					if (c.dump == NULL)
						die("cannot write %s: %s",
						    options.dump_path,
						    strerror(errno));
				}
				send_message(&c, &t->counts, (unsigned long)sent);
				if (c.dump != NULL) {
					write_dump_body(c.dump);
					fclose(c.dump);
					c.dump = NULL;
				}
			}
		}
		send_packet(&c, SMFIC_QUIT, (char *)NULL);
		close(c.fd);
	}
	free(c.reply);
	return NULL;
}

/* --- main ---------------------------------------------------------------- */

static int parse_count(const char *arg, int min, const char *what)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < min || v > 1000000) {
		fprintf(stderr, "miltergen: invalid %s: %s (expected %d to"
			" 1000000)\n", what, arg, min);
		exit(2);
	}
	return (int)v;
}

static void counts_add(struct gen_counts *sum, const struct gen_counts *n)
{
	sum->accept += n->accept;
	sum->cont += n->cont;
	sum->tempfail += n->tempfail;
	sum->reject += n->reject;
	sum->discard += n->discard;
	sum->replycode += n->replycode;
	sum->quarantine += n->quarantine;
	sum->other += n->other;
	sum->headers_added += n->headers_added;
	sum->headers_changed += n->headers_changed;
	sum->messages += n->messages;
}

int main(int argc, char **argv)
{
	struct gen_thread *threads;
	struct gen_counts sum = { 0 };
	struct timespec start, stop;
	struct in_addr addr;
	double seconds;
	int ch;

	options = (struct gen_options){ .connections = 1, .messages = 100,
					.client_addr = "10.1.2.3" };
	while ((ch = getopt(argc, argv, "p:c:n:k:a:d:q")) != -1) {
		switch (ch) {
		case 'p':
			options.port = parse_count(optarg, 1, "port");
			break;
		case 'c':
			options.connections = parse_count(optarg, 1,
							  "connection count");
			break;
		case 'n':
			options.messages = parse_count(optarg, 1,
						       "message count");
			break;
		case 'k':
			options.per_connection = parse_count(
				optarg, 1, "messages per connection");
			break;
		case 'a':
			options.client_addr = optarg;
			break;
		case 'd':
			options.dump_path = optarg;
			break;
		case 'q':
			options.quickack = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || options.port == 0 || options.port > 65535)
		usage();
	if (inet_pton(AF_INET, options.client_addr, &addr) != 1) {
		fprintf(stderr, "miltergen: invalid IPv4 address: %s\n",
			options.client_addr);
		exit(2);
	}
	message_load(argv[optind]);

	threads = calloc((size_t)options.connections, sizeof(*threads));
	if (threads == NULL)
		die("out of memory");
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < options.connections; i++) {
		threads[i].id = i;
		if (pthread_create(&threads[i].thread, NULL, thread_main,
				   &threads[i]) != 0)
			die("pthread_create failed for thread %d", i);
	}
	for (int i = 0; i < options.connections; i++) {
		pthread_join(threads[i].thread, NULL);
		counts_add(&sum, &threads[i].counts);
	}
	clock_gettime(CLOCK_MONOTONIC, &stop);
	seconds = (double)(stop.tv_sec - start.tv_sec) +
		  (double)(stop.tv_nsec - start.tv_nsec) / 1e9;

	printf("messages=%lu seconds=%.3f msg_per_s=%.1f\n", sum.messages,
	       seconds, seconds > 0 ? (double)sum.messages / seconds : 0.0);
	printf("accept=%lu continue=%lu tempfail=%lu reject=%lu discard=%lu"
	       " replycode=%lu quarantine=%lu other=%lu headers_added=%lu"
	       " headers_changed=%lu\n",
	       sum.accept, sum.cont, sum.tempfail, sum.reject, sum.discard,
	       sum.replycode, sum.quarantine, sum.other, sum.headers_added,
	       sum.headers_changed);
	printf("negotiated actions=0x%x protocol=0x%x\n",
	       (unsigned)negotiated_actions, (unsigned)negotiated_protocol);
	free(threads);
	return 0;
}
