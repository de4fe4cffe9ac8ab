/* SPDX-License-Identifier: BSD-3-Clause */
/* daemon.c: the AgentX subagent's single event loop: Net-SNMP's fds and alarms from
 * snmp_select_info(), the inotify fd and a self-pipe for signals. Rebuilds eventDelay after a
 * change in the libvirt directory, on the refresh timer and on demand (at most once a second),
 * swaps snapshots whole, sends notifications, reloads on SIGHUP. */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "core/log.h"
#include "master.h"
#include "core/yield.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "core/util.h"
#include "source/engine.h"
#include "source/watch.h"

#define APPNAME "numatopd"

static volatile sig_atomic_t got_term, got_hup;
static int sigpipe_fd[2] = {-1, -1};

/* The running subagent: what the loop's callbacks share (one thread, so plain statics). */
static struct {
	struct daemon_config *cfg;
	const struct cli_overrides *o;
	struct engine *eng;
	struct watch *watch;
	struct timespec last_build;
	unsigned refresh_alarm;
	unsigned runtime_alarm; /* every runtimeInterval, 0 = off */
	unsigned delay_alarm; /* the pending eventDelay rebuild, 0 = none */
	unsigned hold_alarm;  /* the next hold-down expiry, 0 = none */
	unsigned fresh_alarm; /* the rebuild a request asked for, 0 = none */
	struct timespec last_pass; /* of the last runtime pass of every VM */
	double pass_s;		   /* how long it took */
	bool vm_tables, vcpu_table; /* what mib_register() was given */
} agent;

static void override(char **slot, const char *value)
{
	if (value) {
		free(*slot);
		*slot = xstrdup(value);
	}
}

void daemon_apply_overrides(struct daemon_config *c, const struct cli_overrides *o)
{
	override(&c->eng.sysfs_root, o->sysfs_root);
	override(&c->eng.xml_dir, o->xml_dir);
	override(&c->eng.state_dir, o->state_dir);
	override(&c->eng.proc_root, o->proc_root);
	override(&c->eng.cgroup_root, o->cgroup_root);
	if (o->no_runtime)
		c->eng.runtime_interval = 0;
}

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
	if (write(sigpipe_fd[1], "", 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
	errno = saved;
}

static int setup_signals(void)
{
	struct sigaction sa;

	if (pipe2(sigpipe_fd, O_NONBLOCK | O_CLOEXEC) < 0) {
		log_err("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_seconds(t, &now);
}

/* A one-shot alarm in ms (Net-SNMP's timer list is the loop's only clock). */
static unsigned alarm_in(uint64_t ms, SNMPAlarmCallback *fn)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;
	if (ms > 86400000)
		ms = 86400000;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return snmp_alarm_register_hr(tv, 0, fn, NULL);
}

static void cancel(unsigned *reg)
{
	if (*reg)
		snmp_alarm_unregister(*reg);
	*reg = 0;
}

static void rebuild(void);

/* Drain the watch into the engine: any event marks the directory changed, and the engine
 * trusts its scan between full reads only while the directory itself is watched. Returns the
 * WATCH_* bits read. */
static unsigned take_events(void)
{
	unsigned bits = watch_read(agent.watch);
	size_t n, i;
	char **names = watch_take_names(agent.watch, &n);

	if (bits)
		engine_dir_changed(agent.eng, names, n);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	engine_set_watched(agent.eng, watch_on_dir(agent.watch));
	return bits;
}

static void on_hold(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	agent.hold_alarm = 0;
	rebuild();
}

/* Wake up when a held-down raise falls due: it must still hold in a fresh model. */
static void arm_hold(void)
{
	uint64_t ms = notify_next_due();

	cancel(&agent.hold_alarm);
	if (ms != UINT64_MAX)
		agent.hold_alarm = alarm_in(ms + 5, on_hold);
}

/* Inside a rebuild (core/yield.h), at most every millisecond: answer the AgentX requests
 * waiting, from the snapshot published before it (the new one is published only when whole).
 * snmpd turns one GETBULK into one AgentX PDU per repetition, each sent after the answer to
 * the one before: a few are read per call. Only snmp_read(): no alarm runs here, so no
 * rebuild can start inside this one. */
static void serve_waiting(void)
{
	static struct timespec last;
	int round;

	if (since(&last) < 0.001)
		return;
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (round = 0; round < 16; round++) {
		struct timeval tv = {0, 0};
		int nfds = 0, block = 0;
		fd_set fds;

		FD_ZERO(&fds);
		snmp_select_info(&nfds, &fds, &tv, &block);
		tv = (struct timeval){0, 0};
		if (nfds <= 0 || select(nfds, &fds, NULL, NULL, &tv) <= 0)
			return;
		snmp_read(&fds);
		netsnmp_check_outstanding_agent_requests();
	}
}

static void rebuild(void)
{
	struct model *m;

	/* events not read yet belong to this build: without them it would trust a stale scan */
	take_events();
	yield_set_hook(serve_waiting);
	m = engine_build(agent.eng, (uint32_t)netsnmp_get_agent_uptime());
	yield_set_hook(NULL);

	/* this build reads every change the pending ones would have */
	cancel(&agent.delay_alarm);
	cancel(&agent.fresh_alarm);
	mib_publish(m);
	notify_update(m);
	DEBUGMSGTL(("numatopd",
		    "rebuilt: %zu nodes, %zu VMs, %zu invalid files, %u files parsed%s, "
		    "runtime of %zu VMs read in %.1f ms\n",
		    m->nnodes, m->nvms, m->nerrors, engine_files_parsed(agent.eng),
		    engine_last_reused(agent.eng) ? ", VM rows reused" : "",
		    engine_runtime_read(agent.eng), engine_runtime_seconds(agent.eng) * 1000.0));
	model_unref(m);
	clock_gettime(CLOCK_MONOTONIC, &agent.last_build);
	arm_hold();
}

/* A rebuild that reads every VM's runtime facts, and what it cost. */
static void rebuild_with_runtime(void)
{
	engine_runtime_all(agent.eng);
	rebuild();
	agent.pass_s = engine_runtime_seconds(agent.eng);
	clock_gettime(CLOCK_MONOTONIC, &agent.last_pass);
}

/* Whether a request's rebuild reads every VM's runtime facts too: at most once a second, and
 * never more than a tenth of the time. A full pass takes ~1 s at 10,000 VMs on a slow VM; a walk
 * asking for one every second kept the daemon in passes, and snmpd timed the walk out. */
static bool request_pass_due(void)
{
	double gap = 10.0 * agent.pass_s;

	return agent.last_pass.tv_sec == 0 || since(&agent.last_pass) >= (gap > 1.0 ? gap : 1.0);
}

/* The rebuild a request asked for, and every VM's runtime facts with it when due: nothing
 * announces a change made behind libvirt's back. */
static void on_fresh(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	agent.fresh_alarm = 0;
	if (request_pass_due())
		rebuild_with_runtime();
	else
		rebuild();
}

/* A request arrived: it is answered from the snapshot there is, never after a rebuild (at
 * 10,000 VMs a cold one takes longer than snmpd's agentXTimeout of 1 s). When that snapshot is
 * a second old or more, the loop rebuilds once the answer is sent, for the next request. */
static void on_request(void)
{
	if (agent.fresh_alarm == 0 && since(&agent.last_build) >= 1.0)
		agent.fresh_alarm = alarm_in(1, on_fresh);
}

static void on_runtime(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	rebuild_with_runtime();
}

static void on_timer(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	watch_retry(agent.watch);
	engine_read_all(agent.eng); /* the safety net: all of sysfs, every file stat'ed */
	rebuild();
}

static void on_delay(unsigned int reg, void *arg)
{
	(void)reg;
	(void)arg;
	agent.delay_alarm = 0;
	rebuild();
}

/* The directory changed: rebuild eventDelay after the first event of a burst (libvirt renames
 * a status file several times while starting one VM), at once when it appeared, vanished or
 * the event queue overflowed. */
static void on_watch(void)
{
	unsigned bits = take_events();

	if (bits & WATCH_RESCAN || (bits & WATCH_CHANGED && agent.cfg->event_delay_ms == 0)) {
		rebuild();
		return;
	}
	if (bits & WATCH_CHANGED && agent.delay_alarm == 0)
		agent.delay_alarm = alarm_in(agent.cfg->event_delay_ms, on_delay);
}

static void arm_timer(void)
{
	if (agent.refresh_alarm)
		snmp_alarm_unregister(agent.refresh_alarm);
	agent.refresh_alarm =
	    snmp_alarm_register(agent.cfg->refresh_interval, SA_REPEAT, on_timer, NULL);
	cancel(&agent.runtime_alarm);
	if (agent.cfg->eng.runtime_interval)
		agent.runtime_alarm = snmp_alarm_register(agent.cfg->eng.runtime_interval,
							  SA_REPEAT, on_runtime, NULL);
}

static int register_tables(void)
{
	agent.vm_tables = agent.cfg->vm_tables;
	agent.vcpu_table = agent.cfg->vcpu_table;
	return mib_register(agent.vm_tables, agent.vcpu_table);
}

/* A -c file that cannot be read would read as an empty file, i.e. every default: refuse it.
 * 0 = readable or no -c file. */
static int config_file_gone(void)
{
	const char *opt =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	FILE *f;

	if (opt == NULL)
		return 0;
	f = fopen(opt, "r");
	if (f == NULL) {
		log_err("%s: %s; keeping the previous configuration", opt, strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

/* SIGHUP: re-read the configuration into a fresh struct; on any error keep the old one. */
static void reload(void)
{
	struct daemon_config *fresh = xcalloc(1, sizeof(*fresh));
	bool same_dir;

	if (config_file_gone() < 0) {
		free(fresh);
		return;
	}
	settings_init(fresh);
	settings_begin(fresh);
	free_config();
	settings_read();
	if (settings_end() > 0) {
		log_err("configuration has errors; keeping the previous configuration");
		settings_clear(fresh);
		free(fresh);
		return;
	}
	daemon_apply_overrides(fresh, agent.o);
	same_dir = strcmp(fresh->eng.xml_dir, agent.cfg->eng.xml_dir) == 0;
	settings_clear(agent.cfg);
	*agent.cfg = *fresh;
	free(fresh);
	engine_set_config(agent.eng, &agent.cfg->eng);
	/* the ping timer running now keeps its period; the next (re)connection takes this one */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   (int)agent.cfg->agentx_ping);
	if (!same_dir) {
		watch_free(agent.watch);
		agent.watch = watch_new(agent.cfg->eng.xml_dir);
	}
	notify_configure(agent.cfg);
	if (agent.vm_tables != agent.cfg->vm_tables || agent.vcpu_table != agent.cfg->vcpu_table) {
		mib_unregister();
		register_tables();
	}
	arm_timer();
	master_watch(agent.cfg->agentx_ping);
	rebuild();
	log_info("configuration reloaded");
}

static void drain_sigpipe(void)
{
	char buf[64];

	while (read(sigpipe_fd[0], buf, sizeof(buf)) > 0)
		;
}

/* Add fd to the read set (fd < 0: nothing). */
static void watch_fd_set(int fd, fd_set *fds, int *nfds)
{
	if (fd < 0)
		return;
	FD_SET(fd, fds);
	if (fd >= *nfds)
		*nfds = fd + 1;
}

static void loop(void)
{
	while (!got_term) {
		/* block = 1: wait for fds or the next alarm, never poll (0 would spin: Net-SNMP
		 * only shortens a timeout it was given, and {0, 0} is already the shortest) */
		int nfds = 0, block = 1, rc, wfd;
		struct timeval tv = {0, 0};
		fd_set fds;

		if (got_hup) {
			got_hup = 0;
			reload();
		}
		/* here, not in a request handler: what fell due since the last turn */
		notify_flush();
		FD_ZERO(&fds);
		snmp_select_info(&nfds, &fds, &tv, &block);
		watch_fd_set(sigpipe_fd[0], &fds, &nfds);
		wfd = watch_fd(agent.watch);
		watch_fd_set(wfd, &fds, &nfds);
		rc = select(nfds, &fds, NULL, NULL, block ? NULL : &tv);
		if (rc < 0) {
			if (errno != EINTR)
				log_err("select: %s", strerror(errno));
			continue;
		}
		if (rc == 0) {
			snmp_timeout();
		} else {
			if (FD_ISSET(sigpipe_fd[0], &fds)) {
				drain_sigpipe();
				FD_CLR(sigpipe_fd[0], &fds);
			}
			bool changed = wfd >= 0 && FD_ISSET(wfd, &fds);

			if (changed)
				FD_CLR(wfd, &fds);
			/* requests first: a rebuild (on_watch) answers waiting requests itself
			 * (serve_waiting), after which this fd set would be stale and
			 * snmp_read() would block on a socket that has nothing left */
			snmp_read(&fds);
			if (changed)
				on_watch();
		}
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
	}
}

/* agentxPingInterval is ours (checked by settings.c), the library only uses it: set it after the
 * file is read and before the subagent's own POST_READ_CONFIG hook, registered later by
 * init_agent(), connects and arms the ping with it. */
static int apply_ping(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   (int)agent.cfg->agentx_ping);
	return SNMP_ERR_NOERROR;
}

/* A (new) session with the master: a restarted master counts transaction ids from the start
 * again, so the last one seen means nothing any more. */
static int on_session(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	mib_forget_transaction();
	return SNMP_ERR_NOERROR;
}

int daemon_run(struct daemon_config *cfg, const struct cli_overrides *o)
{
	agent.cfg = cfg;
	agent.o = o;
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	if (setup_signals() < 0)
		return 1;
	/* before init_snmp(): the subagent connects while the configuration is read */
	notify_init();
	/* agentxPingInterval (default 5 s): how often to retry the master until it appears, and
	 * to check that it is still there */
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, apply_ping,
			       NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_session,
			       NULL);
	master_init();
	init_agent(APPNAME);
	settings_register_after_agent();
	init_snmp(APPNAME);
	if (settings_end() > 0) {
		snmp_shutdown(APPNAME);
		return 1;
	}
	daemon_apply_overrides(cfg, o);
	notify_configure(cfg);
	agent.eng = engine_new(&cfg->eng);
	/* watch before the first build, so that no change falls between the two */
	agent.watch = watch_new(cfg->eng.xml_dir);
	rebuild();
	if (register_tables() < 0) {
		notify_shutdown();
		watch_free(agent.watch);
		engine_free(agent.eng);
		snmp_shutdown(APPNAME);
		return 1;
	}
	mib_set_refresh_hook(on_request);
	arm_timer();
	master_watch(cfg->agentx_ping);
	log_info("numatopd %s started (sysfs %s, libvirt %s)", PACKAGE_VERSION, cfg->eng.sysfs_root,
		 cfg->eng.xml_dir);
	loop();
	log_info("numatopd stopping");
	cancel(&agent.delay_alarm);
	cancel(&agent.hold_alarm);
	cancel(&agent.fresh_alarm);
	mib_unregister();
	master_shutdown();
	notify_shutdown();
	snmp_shutdown(APPNAME);
	mib_publish(NULL);
	watch_free(agent.watch);
	engine_free(agent.eng);
	return 0;
}
