/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - signetd: options, start-up, signals and shutdown.
 *
 * Start-up order: load the configuration and every key as root, open the
 * milter socket, daemonize unless -f, switch to the configured user, write
 * the pid file, then run libmilter in its own thread and tell systemd
 * READY=1.
 *
 * Signals: libmilter's own signal thread treats SIGHUP like SIGTERM and
 * stops the filter.  signetd therefore runs smfi_main in a second thread
 * (libmilter blocks SIGHUP, SIGTERM and SIGINT in that thread and in every
 * thread it starts) and keeps them unblocked in the main thread, whose
 * handlers write the signal number to a pipe.  Linux delivers a signal
 * sent to the process to its main thread first when that thread does not
 * block it, so SIGHUP reloads and SIGTERM/SIGINT call smfi_stop.
 * NOTE: a second signal that arrives while the main thread still has the
 * first one pending may go to libmilter's thread instead.  A SIGHUP that
 * lands there stops the daemon instead of reloading it.
 *
 * DIAGNOSTICS: start-up errors go to stderr and syslog and exit 1; -t
 * prints each problem as FILE:LINE: message and exits 0 or 1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <openssl/crypto.h>
#include <systemd/sd-daemon.h>
#include <unbound.h>

#include "daemon/log.h"
#include "daemon/milter.h"
#include "daemon/msgctx.h"
#include "daemon/privdrop.h"
#include "daemon/snapshot.h"
#include "daemon/sockspec.h"

#define SIGNETD_DEFAULT_CONFIG CONFIG_DEFAULT_PATH
#define SIGNETD_MILTER_DONE 0 /* written to the pipe when smfi_main returns */
/* How long a stop waits for messages in progress.  Postfix defers a
 * message whose milter connection breaks (milter_default_action =
 * tempfail), so a cut-off message is retried, not lost. */
#define SIGNETD_DRAIN_SECONDS 30

struct signetd_opts {
    const char *config_path;
    bool foreground;
    bool check_only;
};

static int signetd_pipe[2] = { -1, -1 };
static int signetd_ready_fd = -1; /* see signetd_daemonize */

static void
signetd_usage(FILE *out)
{
    fprintf(out,
            "usage: signetd [-c FILE] [-f] [-t] [-V]\n"
            "  -c FILE  configuration file (default %s)\n"
            "  -f       stay in the foreground and log to stderr as well\n"
            "  -t       check the configuration and every key file, then "
            "exit\n"
            "  -V       print the version and library versions, then exit\n",
            SIGNETD_DEFAULT_CONFIG);
}

static void
signetd_print_versions(void)
{
    unsigned major = 0, minor = 0, patch = 0;

    smfi_version(&major, &minor, &patch);
    printf("signetd %s\n", PACKAGE_VERSION);
    printf("OpenSSL: %s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("libmilter: %u.%u.%u\n", major, minor, patch);
    printf("libunbound: %s\n", ub_version());
}

/* config_report_fn for start-up and -t: one problem per line. */
static void
signetd_report_stdout(void *arg, const char *message)
{
    (void)arg;
    printf("%s\n", message);
}

static void
signetd_report_log(void *arg, const char *message)
{
    (void)arg;
    log_msg(LOG_ERR, "%s", message);
}

/* -t: load everything the daemon loads at start and print each problem. */
static int
signetd_check(const char *path)
{
    struct snapshot *snap;
    struct sockspec spec;
    char err[512];
    uid_t uid;
    gid_t gid;
    int rc = 0;

    snap = snapshot_load(path, signetd_report_stdout, NULL);
    if (snap == NULL)
        return 1;
    if (sockspec_parse(snap->conf->socket, &spec, err, sizeof(err)) != 0) {
        printf("%s: %s\n", path, err);
        rc = 1;
    }
    if (snap->conf->user != NULL &&
        privdrop_lookup(snap->conf->user, &uid, &gid, err, sizeof(err)) != 0) {
        printf("%s: %s\n", path, err);
        rc = 1;
    }
    snapshot_release(snap);
    if (rc == 0)
        printf("%s: configuration OK\n", path);
    return rc;
}

static int
signetd_parse_args(int argc, char **argv, struct signetd_opts *opts)
{
    int c;

    opts->config_path = SIGNETD_DEFAULT_CONFIG;
    while ((c = getopt(argc, argv, "c:ftVh")) != -1) {
        switch (c) {
        case 'c':
            opts->config_path = optarg;
            break;
        case 'f':
            opts->foreground = true;
            break;
        case 't':
            opts->check_only = true;
            break;
        case 'V':
            signetd_print_versions();
            exit(0);
        case 'h':
            signetd_usage(stdout);
            exit(0);
        default:
            signetd_usage(stderr);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "signetd: unexpected argument \"%s\"\n", argv[optind]);
        signetd_usage(stderr);
        return -1;
    }
    return 0;
}

/* Detach from the terminal: fork, new session, fork again so the daemon
 * can never reacquire a terminal, then stdin/stdout/stderr to /dev/null.
 * The first parent waits until the daemon reports ready through a pipe
 * (signetd_report_ready) and exits 0, or 1 when the pipe closes first,
 * so an init script sees a start-up failure in the exit status. */
static int
signetd_daemonize(void)
{
    int ready[2], fd;
    unsigned char byte = 1;
    ssize_t n;
    pid_t pid;

    if (pipe2(ready, O_CLOEXEC) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        close(ready[1]);
        do {
            n = read(ready[0], &byte, 1);
        } while (n < 0 && errno == EINTR);
        _exit(n == 1 && byte == 0 ? 0 : 1);
    }
    close(ready[0]);
    if (setsid() < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    signetd_ready_fd = ready[1];

    if (chdir("/") != 0)
        return -1;
    fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return -1;
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
    return 0;
}

/* Tell the waiting parent of signetd_daemonize that start-up worked. */
static void
signetd_report_ready(void)
{
    unsigned char byte = 0;

    if (signetd_ready_fd < 0)
        return;
    (void)!write(signetd_ready_fd, &byte, 1);
    close(signetd_ready_fd);
    signetd_ready_fd = -1;
}

static void
signetd_on_signal(int sig)
{
    int saved = errno;
    unsigned char byte = (unsigned char)sig;

    (void)!write(signetd_pipe[1], &byte, 1);
    errno = saved;
}

static int
signetd_signals(void)
{
    struct sigaction sa;
    sigset_t set;

    if (pipe2(signetd_pipe, O_CLOEXEC) != 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = signetd_on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGHUP, &sa, NULL) != 0 ||
        sigaction(SIGTERM, &sa, NULL) != 0 ||
        sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);

    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -1;
}

static void *
signetd_milter_thread(void *arg)
{
    int *status = arg;
    unsigned char byte = SIGNETD_MILTER_DONE;

    *status = smfi_main();
    (void)!write(signetd_pipe[1], &byte, 1);
    return NULL;
}

/* Warn about settings that a reload cannot apply. */
static void
signetd_reload_warnings(const struct config *old, const struct config *new)
{
    if (strcmp(old->socket, new->socket) != 0)
        log_msg(LOG_WARNING, "reload: socket changed to %s; restart signetd "
                             "to use it", new->socket);
    if ((old->user == NULL) != (new->user == NULL) ||
        (old->user != NULL && strcmp(old->user, new->user) != 0))
        log_msg(LOG_WARNING, "reload: user changed; restart signetd to use "
                             "it");
}

static void
signetd_reload(const char *path)
{
    struct snapshot *old, *snap;

    sd_notify(0, "RELOADING=1");
    old = snapshot_acquire();

    /* NOTE: the daemon no longer runs as root here, so the configuration
     * and key files must be readable by the configured user for a reload
     * to work. */
    snap = snapshot_load(path, signetd_report_log, NULL);
    if (snap == NULL) {
        log_msg(LOG_ERR, "reload of %s failed; keeping configuration "
                         "generation %lu",
                path, old != NULL ? old->generation : 0UL);
    } else {
        if (old != NULL)
            signetd_reload_warnings(old->conf, snap->conf);
        snapshot_install(snap);
        log_set_facility(config_syslog_facility(snap->conf));
        log_set_verbose(snap->conf->log_verbose);
        log_msg(LOG_INFO, "reloaded %s: configuration generation %lu", path,
                snap->generation);
    }
    snapshot_release(old);
    sd_notify(0, "READY=1");
}

/* libmilter stops serving every connection once smfi_stop is called, so
 * wait for the messages in progress to end before calling it. */
static void
signetd_drain(void)
{
    unsigned tenths = SIGNETD_DRAIN_SECONDS * 10;
    unsigned long active = msgctx_in_progress();

    if (active > 0)
        log_msg(LOG_INFO, "waiting up to %d s for %lu message(s) in progress",
                SIGNETD_DRAIN_SECONDS, active);
    while (msgctx_in_progress() > 0 && tenths-- > 0)
        usleep(100000);
    active = msgctx_in_progress();
    if (active > 0)
        log_msg(LOG_WARNING, "stopping with %lu message(s) in progress; the "
                             "MTA applies milter_default_action to them",
                active);
}

/* Wait for signals until a stop is requested or libmilter ends. */
static void
signetd_wait(const char *path)
{
    unsigned char byte;
    ssize_t n;

    for (;;) {
        n = read(signetd_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || byte == SIGNETD_MILTER_DONE)
            return;
        if (byte == SIGHUP) {
            signetd_reload(path);
            continue;
        }
        log_msg(LOG_INFO, "received signal %d; stopping", byte);
        sd_notify(0, "STOPPING=1");
        signetd_drain();
        smfi_stop();
        return;
    }
}

/* Open the milter socket as root.  A unix socket then belongs to the
 * daemon's user with mode 0660, so that the MTA's group can connect. */
static int
signetd_open_socket(const struct config *conf, const struct sockspec *spec,
                    bool switch_user, uid_t uid, gid_t gid)
{
    char err[512], conn[sizeof(spec->conn)];

    if (sockspec_clear_stale(spec, err, sizeof(err)) != 0) {
        log_msg(LOG_ERR, "%s", err);
        return -1;
    }
    umask(007);
    memcpy(conn, spec->conn, sizeof(conn)); /* smfi_setconn takes char * */
    errno = 0;
    if (smfi_setconn(conn) != MI_SUCCESS ||
        milter_register() != 0 || smfi_opensocket(false) != MI_SUCCESS) {
        log_msg(LOG_ERR, "cannot listen on %s (from socket = \"%s\"): %s",
                spec->conn, conf->socket,
                errno != 0 ? strerror(errno) : "libmilter gave no reason");
        return -1;
    }
    if (spec->path != NULL && !switch_user)
        log_msg(LOG_WARNING, "socket %s keeps signetd's own owner and "
                             "group with mode 0770 because no user is set; "
                             "Postfix cannot connect unless it is in that "
                             "group: set user in %s",
                spec->path, conf->path != NULL ? conf->path : "signet.conf");
    if (spec->path == NULL && sockspec_nodelay_listeners() == 0)
        log_msg(LOG_WARNING, "cannot set TCP_NODELAY on %s; replies with "
                             "header changes may wait for delayed ACKs",
                spec->conn);
    if (spec->path != NULL && switch_user &&
        (chown(spec->path, uid, gid) != 0 || chmod(spec->path, 0660) != 0)) {
        log_msg(LOG_ERR, "cannot give socket %s to user %s: %s", spec->path,
                conf->user, strerror(errno));
        return -1;
    }
    return 0;
}

/* Everything between loading the configuration and starting libmilter. */
static int
signetd_start(const struct signetd_opts *opts, const struct config *conf)
{
    struct sockspec spec;
    bool switch_user = conf->user != NULL;
    char err[512];
    uid_t uid = 0;
    gid_t gid = 0;

    if (sockspec_parse(conf->socket, &spec, err, sizeof(err)) != 0 ||
        (switch_user &&
         privdrop_lookup(conf->user, &uid, &gid, err, sizeof(err)) != 0)) {
        log_msg(LOG_ERR, "%s: %s", opts->config_path, err);
        return -1;
    }
    if (signetd_open_socket(conf, &spec, switch_user, uid, gid) != 0)
        return -1;

    if (!opts->foreground && signetd_daemonize() != 0) {
        log_msg(LOG_ERR, "daemonizing failed: %s", strerror(errno));
        return -1;
    }
    if (switch_user && privdrop_to(conf->user, uid, gid, err,
                                   sizeof(err)) != 0) {
        log_msg(LOG_ERR, "%s", err);
        return -1;
    }
    if (!switch_user && geteuid() == 0)
        log_msg(LOG_WARNING, "running as root because %s sets no user; "
                             "set user = \"signet\" to drop privileges",
                opts->config_path);
    if (conf->pid_file != NULL &&
        privdrop_write_pid(conf->pid_file, err, sizeof(err)) != 0) {
        log_msg(LOG_ERR, "%s", err);
        return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    struct signetd_opts opts = { 0 };
    struct snapshot *snap;
    pthread_t thread;
    int milter_status = MI_FAILURE, rc;
    char *pid_file = NULL;

    if (signetd_parse_args(argc, argv, &opts) != 0)
        return 64;
    if (opts.check_only)
        return signetd_check(opts.config_path);

    log_open(LOG_MAIL, true);
    snap = snapshot_load(opts.config_path, signetd_report_log, NULL);
    if (snap == NULL) {
        log_msg(LOG_ERR, "start-up failed: %s has the errors listed above",
                opts.config_path);
        return 1;
    }
    closelog();
    /* Keep the stderr copy until daemonizing points stderr at /dev/null, so
     * that start-up errors reach the terminal. */
    log_open(config_syslog_facility(snap->conf), true);
    log_set_verbose(snap->conf->log_verbose);

    if (signetd_start(&opts, snap->conf) != 0 || signetd_signals() != 0) {
        snapshot_release(snap);
        return 1;
    }
    if (snap->conf->pid_file != NULL)
        pid_file = strdup(snap->conf->pid_file);
    log_msg(LOG_INFO, "starting signetd %s on %s with %s", PACKAGE_VERSION,
            snap->conf->socket, opts.config_path);
    snapshot_install(snap);

    rc = pthread_create(&thread, NULL, signetd_milter_thread, &milter_status);
    if (rc != 0) {
        log_msg(LOG_ERR, "starting the milter thread failed: %s",
                strerror(rc));
        return 1;
    }
    sd_notify(0, "READY=1");
    signetd_report_ready();
    signetd_wait(opts.config_path);
    pthread_join(thread, NULL);

    snapshot_shutdown();
    if (pid_file != NULL)
        unlink(pid_file);
    free(pid_file);
    log_msg(milter_status == MI_SUCCESS ? LOG_INFO : LOG_ERR,
            "stopped (libmilter %s)",
            milter_status == MI_SUCCESS ? "finished" : "failed");
    return milter_status == MI_SUCCESS ? 0 : 1;
}
