/* exporter.c - `opsdeck exporter [--listen ADDR:PORT] [--interval DUR]`:
 * the Prometheus exporter (serve/exporter.h), a foreground daemon
 * (systemd: opsdeck-exporter.service).
 *
 * It polls as the dashboard does, serves /metrics (the families of
 * `status --prometheus` from the latest completed poll, and each check's
 * probe age and duration) and /healthz, and logs to stderr only its start,
 * reloads and stop. With [notify] webhook_url set, it sends the
 * notifications while no `opsdeck record` runs (notify/notifier.h). SIGTERM and SIGINT end it (exit
 * 0); SIGHUP reloads the configuration (a bad one is refused and the running one stays).
 *
 * Exit status: 0 after SIGTERM/SIGINT; 1 when it cannot listen or start
 * its threads; 2 for usage and configuration errors.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "probe/probe.h"
#include "serve/exporter.h"
#include "serve/listen.h"
#include "util/xalloc.h"

enum { OPT_LISTEN = 2000 };

static void exporter_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck exporter [-c FILE] [--listen ADDR:PORT] [--interval DUR]\n"
	           "Serves Prometheus metrics over HTTP: /metrics (the families of `status\n"
	           "--prometheus` from the latest completed poll, with each check's probe age\n"
	           "and duration) and /healthz. Polls every interval (default: [ui] interval);\n"
	           "a scrape never waits on a backend.\n"
	           "  --listen ADDR:PORT  where to listen (default " EXPORTER_DEFAULT_LISTEN
	           ", loopback;\n"
	           "                      [::1]:9877 for IPv6, port 0: any free port)\n"
	           "Runs in the foreground until SIGTERM or SIGINT; SIGHUP reloads the\n"
	           "configuration.\n");
}

static int exporter_option(int opt, const char *arg, void *ctx)
{
	const char **listen = ctx;
	char host[LISTEN_ADDRESS_TEXT], err[256];
	unsigned port;
	if (opt != OPT_LISTEN)
		return -1;
	if (listen_split(arg, host, sizeof(host), &port, err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: exporter: --listen %s\n", err);
		return -1;
	}
	*listen = arg;
	return 0;
}

/* The configuration on the heap, as the exporter takes it; NULL after
 * printing why. */
static struct config *exporter_load(const struct cli_options *opts)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	if (cli_load_config(opts, cfg) < 0) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

/* SIGHUP: the configuration again; on error the running one stays. */
static void exporter_reload_config(struct exporter *e, struct notifier **notifier,
                                   const struct cli_options *opts)
{
	char err[1024];
	struct config *cfg = exporter_load(opts);
	if (cfg == NULL) {
		cli_daemon_log("configuration not reloaded; the running one stays");
		return;
	}
	char path[1024];
	snprintf(path, sizeof(path), "%s", *cfg->path ? cfg->path : "defaults");
	if (exporter_reload(e, cfg, err, sizeof(err)) < 0) {
		cli_daemon_log("configuration not reloaded: %s; the running one stays", err);
		return;
	}
	cli_daemon_log("configuration reloaded from %s", path);
	/* the old notifier keeps what it told, so the new one goes on from it;
	 * cfg is the exporter's now, and lives as long as it */
	cli_notifier_stop(*notifier);
	*notifier = cli_notifier_start(cfg, opts, NOTIFIER_WATCHER);
}

/* Serves until SIGTERM or SIGINT, taking the probes' wake-ups and the
 * signals (blocked, read from signal_fd) on this thread. */
static int exporter_loop(struct exporter *e, struct notifier **notifier,
                         const struct cli_options *opts, int signal_fd)
{
	struct pollfd fds[2] = {{.fd = exporter_wake_fd(e), .events = POLLIN},
	                        {.fd = signal_fd, .events = POLLIN}};
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_daemon_log("cannot wait: %s", strerror(errno));
			return 1;
		}
		if (fds[0].revents && exporter_publish(e))
			notifier_observe(*notifier, exporter_diagnosis(e));
		cli_notifier_drain(*notifier);
		if (fds[1].revents == 0)
			continue;
		struct signalfd_siginfo info;
		if (read(signal_fd, &info, sizeof(info)) != (ssize_t)sizeof(info))
			continue;
		if (info.ssi_signo == SIGHUP) {
			exporter_reload_config(e, notifier, opts);
			continue;
		}
		cli_daemon_log("stopping (%s)", info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
		return 0;
	}
}

int cmd_exporter(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"listen", required_argument, NULL, OPT_LISTEN},
	    {NULL, 0, NULL, 0},
	};
	const char *listen = EXPORTER_DEFAULT_LISTEN;
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, exporter_option, &listen,
	                       exporter_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	struct config *cfg = exporter_load(opts);
	if (cfg == NULL)
		return EXIT_USAGE;
	int64_t interval_ms = cfg->ui.interval_ms;

	/* Blocked before any thread exists, so every thread inherits the mask
	 * and the signals are read here, from signal_fd. */
	sigset_t signals;
	cli_block_daemon_signals(&signals);
	int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
	if (signal_fd < 0) {
		fprintf(stderr, "opsdeck: exporter: cannot watch signals: %s\n", strerror(errno));
		config_free(cfg);
		free(cfg);
		return 1;
	}
	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		config_free(cfg);
		free(cfg);
		close(signal_fd);
		return 1;
	}
	struct exporter *e;
	char bound[LISTEN_ADDRESS_TEXT], err[1024];
	int rc = 1;
	if (exporter_start(&e, cfg, listen, bound, sizeof(bound), err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: exporter: %s\n", err);
		goto done;
	}
	cli_daemon_log("serving http://%s/metrics, polling every %lld ms", bound,
	               (long long)interval_ms);
	struct notifier *notifier = cli_notifier_start(cfg, opts, NOTIFIER_WATCHER);
	rc = exporter_loop(e, &notifier, opts, signal_fd);
	cli_notifier_stop(notifier);
	if (exporter_stop(e) < 0) {
		/* a probe still runs on a thread: libcurl stays initialised */
		close(signal_fd);
		return rc;
	}
done:
	probe_global_cleanup();
	close(signal_fd);
	return rc;
}
