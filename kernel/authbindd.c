/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbindd: kernel mode of authbind.  Compiles the policy under
 * /etc/authbind into the BPF maps of cgroup bind programs that grant
 * exactly what the setuid helper would grant, for every program of the
 * cgroup (by default every program: the cgroup v2 root), and keeps them
 * in step with the policy.  Runs in the foreground.
 *
 *   main            options, capabilities, load, first generation, attach
 *   reload          one new generation, swapped in whole, or none at all
 *   run             signals, inotify, the debounce and 1 s timers, events
 *
 * Exit status: 0 after SIGTERM or SIGINT, 1 when it cannot start, 2 for a
 * usage error.  Stopping it, or its death, detaches every program: no
 * grant outlives it.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "authbind_bpf.h"
#include "caps.h"
#include "cgroup.h"
#include "compile.h"
#include "events.h"
#include "genmap.h"
#include "loader.h"
#include "state.h"

/* Generations kept to explain the events that name them. */
#define KEPT_GENERATIONS 8
/* A burst of policy edits is one reload: wait this long after the last
 * change, but never longer than the maximum after the first, so that a
 * revocation takes effect within a second. */
#define DEBOUNCE_MS 100
#define DEBOUNCE_MAX_MS 400

struct daemon {
	const char *policy_dir;
	const char *state_dir;
	char cgroup_dir[PATH_MAX];
	char cgroup_rel[PATH_MAX];
	struct ab_loader loader;
	struct ring_buffer *events;
	struct ab_generation *kept[KEPT_GENERATIONS];
	uint32_t next_generation;
	int in_force;               /* a generation is swapped in */
	int port_start;             /* net.ipv4.ip_unprivileged_port_start */
	uint64_t lost_reported;
	int inotify_fd, signal_fd, timer_fd, tick_fd, epoll_fd;
	int etc_wd;                 /* the watch on /etc: only passwd and group count */
	long long first_change_ms;  /* of the pending reload, or -1 */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: authbindd [--cgroup DIR] [--policy-dir DIR] [--state-dir DIR]\n"
		"                 [--stderr] [--verbose]\n"
		"       authbindd --help | --version\n"
		"Kernel mode of authbind: grants the binds %s grants, in the kernel,\n"
		"for every process of the cgroup DIR (default: the cgroup v2 root).\n"
		"See authbindd(8).\n", AB_POLICY_DIR);
}

/* Set once the state file exists, so that an error after that removes it. */
static const char *state_written;

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	syslog(LOG_ERR, "%s", text);
	if (state_written != NULL)
		ab_state_remove(state_written);
	_exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	int v = 1024;

	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1 || v < 0 || v > 65536)
			v = 1024;
		fclose(f);
	}
	return v;
}

static const struct ab_generation *find_generation(const struct daemon *dm, uint32_t id)
{
	int i;

	for (i = 0; i < KEPT_GENERATIONS; i++)
		if (dm->kept[i] != NULL && dm->kept[i]->id == id)
			return dm->kept[i];
	return NULL;
}

static void keep_generation(struct daemon *dm, struct ab_generation *gen)
{
	int slot = (int)(gen->id % KEPT_GENERATIONS);

	ab_generation_free(dm->kept[slot]);
	dm->kept[slot] = gen;
}

/* Watches the policy directory, its subdirectories and /etc (passwd and
 * group are replaced by rename, so the directory is what to watch).
 * Adding a watch twice is harmless; a subdirectory made later is added
 * at the next reload. */
static void watch_policy(struct daemon *dm)
{
	static const char *const subdirs[] = { "", "/byport", "/byaddr", "/byuid", "/bygid" };
	const uint32_t mask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM |
			      IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF |
			      IN_DONT_FOLLOW | IN_ONLYDIR;
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dm->policy_dir, subdirs[i]);
		inotify_add_watch(dm->inotify_fd, path, mask);
	}
	dm->etc_wd = inotify_add_watch(dm->inotify_fd, "/etc", IN_CREATE | IN_MODIFY |
				       IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR);
}

/*
 * Reads the whole tree and compiles it into a new trie, then swaps that in
 * with one map update: a bind sees either the old generation or the new
 * one.  When anything fails, no generation is left in force (no grant
 * rather than a stale one) and the log says why.
 */
static int reload(struct daemon *dm, const char *why, char *err, size_t errsize)
{
	struct ab_generation *gen;
	struct ab_genmap g;
	long long t0 = now_ms();

	watch_policy(dm);
	dm->port_start = read_port_start();
	gen = calloc(1, sizeof(*gen));
	if (gen == NULL) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	gen->id = ++dm->next_generation;
	gen->tree = ab_tree_load(dm->policy_dir, err, errsize);
	if (gen->tree == NULL)
		goto fail;
	if (ab_genmap_create(&g, gen->id, AB_K_MAX_ENTRIES) != 0) {
		snprintf(err, errsize, "cannot create a BPF map: %s", strerror(errno));
		goto fail;
	}
	if (ab_compile(gen, &g, (uint16_t)(dm->port_start > 0 ? dm->port_start - 1 : 0), err,
		       errsize) != 0) {
		ab_genmap_close(&g);
		goto fail;
	}
	if (ab_loader_swap(&dm->loader, g.fd) != 0) {
		snprintf(err, errsize, "cannot install the new policy map: %s", strerror(errno));
		ab_genmap_close(&g);
		goto fail;
	}
	/* The outer map holds the trie now; the old one goes when the last
	 * bind that looked it up is done. */
	ab_genmap_close(&g);
	dm->in_force = 1;
	syslog(LOG_INFO, "policy generation %u in force (%s): %zu profiles, %zu regions, "
	       "%zu kernel entries, privileged ports below %d, compiled in %lld ms",
	       (unsigned)gen->id, why, gen->nprofiles, gen->nregions, gen->entries,
	       dm->port_start, now_ms() - t0);
	keep_generation(dm, gen);
	return 0;
fail:
	ab_generation_free(gen);
	if (ab_loader_clear(&dm->loader) != 0)
		die("cannot remove the policy after a failed reload: %s; exiting so that no "
		    "stale grant remains", strerror(errno));
	dm->in_force = 0;
	return -1;
}

/* A reload while running: a failure leaves no grant and says so. */
static void reload_logged(struct daemon *dm, const char *why)
{
	char err[512];

	if (reload(dm, why, err, sizeof(err)) != 0)
		syslog(LOG_ERR, "%s: %s; kernel mode grants nothing until the policy can be read "
		       "again", dm->policy_dir, err);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct daemon *dm = ctx;
	struct ab_kevent e;

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	ab_log_event(&e, find_generation(dm, e.generation));
	return 0;
}

static void arm(int fd, long long ms, long long interval_ms)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (ms % 1000) * 1000000;
	its.it_interval.tv_sec = interval_ms / 1000;
	its.it_interval.tv_nsec = (interval_ms % 1000) * 1000000;
	if (timerfd_settime(fd, 0, &its, NULL) != 0)
		die("timerfd_settime: %s", strerror(errno));
}

/* A change was seen: reload after DEBOUNCE_MS of quiet, at most
 * DEBOUNCE_MAX_MS after the first change. */
static void schedule_reload(struct daemon *dm)
{
	long long now = now_ms(), wait = DEBOUNCE_MS;

	if (dm->first_change_ms < 0)
		dm->first_change_ms = now;
	if (now + wait > dm->first_change_ms + DEBOUNCE_MAX_MS)
		wait = dm->first_change_ms + DEBOUNCE_MAX_MS - now;
	arm(dm->timer_fd, wait > 0 ? wait : 1, 0);
}

/* True when the inotify events read concern the policy: anything under
 * the policy directory, and /etc/passwd or /etc/group. */
static int policy_changed(const struct daemon *dm)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changed = 0;
	ssize_t n;

	while ((n = read(dm->inotify_fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (p + sizeof(struct inotify_event) <= buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;

			if (ev->wd != dm->etc_wd || ev->mask & IN_Q_OVERFLOW ||
			    (ev->len > 0 && (strcmp(ev->name, "passwd") == 0 ||
					     strcmp(ev->name, "group") == 0)))
				changed = 1;
			p += sizeof(struct inotify_event) + ev->len;
		}
	}
	return changed;
}

static void drain(int fd)
{
	char buf[4096] __attribute__((aligned(8)));

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void tick(struct daemon *dm)
{
	uint64_t lost = ab_loader_lost(&dm->loader);

	if (lost != dm->lost_reported) {
		syslog(LOG_WARNING, "%llu events lost (the ring buffer was full); the binds "
		       "themselves were judged as usual", (unsigned long long)(lost - dm->lost_reported));
		dm->lost_reported = lost;
	}
	if (read_port_start() != dm->port_start)
		reload_logged(dm, "net.ipv4.ip_unprivileged_port_start changed");
}

static int run(struct daemon *dm)
{
	struct epoll_event ev;
	int rb_fd = ring_buffer__epoll_fd(dm->events);

	for (;;) {
		int n = epoll_wait(dm->epoll_fd, &ev, 1, AB_K_POLL_MS);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		if (n == 0) {
			ring_buffer__consume(dm->events);
			continue;
		}
		if (ev.data.fd == rb_fd) {
			ring_buffer__consume(dm->events);
		} else if (ev.data.fd == dm->inotify_fd) {
			if (policy_changed(dm))
				schedule_reload(dm);
		} else if (ev.data.fd == dm->timer_fd) {
			drain(dm->timer_fd);
			dm->first_change_ms = -1;
			reload_logged(dm, "the policy changed");
		} else if (ev.data.fd == dm->tick_fd) {
			drain(dm->tick_fd);
			tick(dm);
		} else if (ev.data.fd == dm->signal_fd) {
			struct signalfd_siginfo si;

			if (read(dm->signal_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
				continue;
			if (si.ssi_signo == SIGHUP) {
				reload_logged(dm, "SIGHUP");
				continue;
			}
			/* Events already in the ring are still logged. */
			ring_buffer__consume(dm->events);
			syslog(LOG_INFO, "stopping on %s: kernel mode ends, the programs are "
			       "detached", strsignal((int)si.ssi_signo));
			return 0;
		}
	}
}

static void add_to_epoll(struct daemon *dm, int fd)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if (epoll_ctl(dm->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* The cgroup to attach to, as an absolute directory and relative to the
 * cgroup v2 root (for the state file). */
static void find_cgroup(struct daemon *dm, const char *given)
{
	char root[PATH_MAX], real[PATH_MAX];
	size_t n;

	if (ab_cgroup2_root(root, sizeof(root)) != 0)
		die("no cgroup v2 hierarchy is mounted (looked in /proc/self/mountinfo for "
		    "cgroup2); kernel mode needs one");
	if (given == NULL)
		given = root;
	if (realpath(given, real) == NULL)
		die("%s: %s", given, strerror(errno));
	n = strlen(root);
	if (strncmp(real, root, n) != 0 || (real[n] != '\0' && real[n] != '/'))
		die("%s is not a directory of the cgroup v2 hierarchy (%s)", given, root);
	snprintf(dm->cgroup_dir, sizeof(dm->cgroup_dir), "%s", real);
	snprintf(dm->cgroup_rel, sizeof(dm->cgroup_rel), "%s", real[n] != '\0' ? real + n : "/");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "stderr", no_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct daemon dm;
	const char *cgroup = NULL;
	struct stat pidns;
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	sigset_t sigs;
	char err[512];
	int c, i, log_stderr = 0, verbose = 0, probe, cgfd;

	dm.policy_dir = AB_POLICY_DIR;
	dm.state_dir = AB_KERNEL_STATE_DIR;
	dm.first_change_ms = -1;
	dm.etc_wd = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'c': cgroup = optarg; break;
		case 'p': dm.policy_dir = optarg; break;
		case 's': dm.state_dir = optarg; break;
		case 'e': log_stderr = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("authbindd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION); return 0;
		default:
			fprintf(stderr, "authbindd: unknown option, or option without its "
				"argument: '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "authbindd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (dm.policy_dir[0] != '/' || dm.state_dir[0] != '/') {
		fprintf(stderr, "authbindd: --policy-dir and --state-dir take absolute paths\n");
		return 2;
	}
	openlog("authbindd", LOG_PID | (log_stderr ? LOG_PERROR : 0), LOG_AUTHPRIV);

	/* Everything below needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN and
	 * nothing else: the policy files are root's own, read as their owner. */
	if (ab_caps_drop(err, sizeof(err)) != 0)
		die("%s", err);
	find_cgroup(&dm, cgroup);
	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0 || getsockopt(probe, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0)
		die("cannot read the network namespace cookie: %s", strerror(errno));
	close(probe);
	if (stat("/proc/self/ns/pid", &pidns) != 0)
		die("/proc/self/ns/pid: %s", strerror(errno));

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) != 0)
		die("sigprocmask: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	dm.signal_fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	dm.inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	dm.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	dm.tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	dm.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (dm.signal_fd < 0 || dm.inotify_fd < 0 || dm.timer_fd < 0 || dm.tick_fd < 0 ||
	    dm.epoll_fd < 0)
		die("cannot set up the event loop: %s", strerror(errno));

	if (ab_loader_load(&dm.loader, cookie, (uint64_t)pidns.st_dev, (uint64_t)pidns.st_ino,
			   verbose, err, sizeof(err)) != 0)
		die("%s", err);
	/* The policy goes in before the programs are attached: from the first
	 * bind they judge, they judge by it. */
	if (reload(&dm, "start", err, sizeof(err)) != 0)
		die("%s: %s; not starting", dm.policy_dir, err);
	cgfd = open(dm.cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0)
		die("%s: %s", dm.cgroup_dir, strerror(errno));
	if (ab_loader_attach(&dm.loader, cgfd, err, sizeof(err)) != 0)
		die("%s", err);
	close(cgfd);
	dm.events = ring_buffer__new(dm.loader.events_fd, on_event, &dm, NULL);
	if (dm.events == NULL)
		die("cannot read the event ring: %s", strerror(errno));
	if (ab_state_write(dm.state_dir, cookie, dm.cgroup_rel, err, sizeof(err)) != 0)
		die("%s", err);
	state_written = dm.state_dir;
	add_to_epoll(&dm, ring_buffer__epoll_fd(dm.events));
	add_to_epoll(&dm, dm.inotify_fd);
	add_to_epoll(&dm, dm.signal_fd);
	add_to_epoll(&dm, dm.timer_fd);
	add_to_epoll(&dm, dm.tick_fd);
	arm(dm.tick_fd, 1000, 1000);
	syslog(LOG_INFO, "kernel mode in force for %s (cgroup %s), policy %s",
	       dm.cgroup_dir, dm.cgroup_rel, dm.policy_dir);

	c = run(&dm);
	ab_state_remove(dm.state_dir);
	ring_buffer__free(dm.events);
	ab_loader_close(&dm.loader);
	for (i = 0; i < KEPT_GENERATIONS; i++)
		ab_generation_free(dm.kept[i]);
	return c;
}
