/* SPDX-License-Identifier: BSD-3-Clause */
/* settings.c: numatopd.conf through Net-SNMP's config API. Each directive handler validates its
 * value and reports problems with netsnmp_config_error(), which names file and line; unknown
 * directives, and bad values of the directives the library parses itself, are caught from its
 * log. */
#include "snmp/settings.h"


#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "core/units.h"
#include "core/util.h"

static struct daemon_config *loading;
static int errors;
static bool reporting; /* bad() is logging: watch_log() must not count it again */

/* While settings_read() reads, Net-SNMP's other log handlers are muted and what it logs waits
 * here, to be logged once the read is over (watch_log() cannot log: snmp_log() inside a logging
 * callback recurses on the library's callback lock). So an unknown directive is said once, as
 * the error it is, instead of Net-SNMP's "Warning: Unknown token" followed by our error. */
#define HELD_KEPT 32
#define MUTED_MAX 16
static struct {
	int priority;
	char text[300];
} held[HELD_KEPT];
static int nheld, held_lost;
static netsnmp_log_handler *muted[MUTED_MAX];
static int nmuted;

void settings_init(struct daemon_config *c)
{
	memset(c, 0, sizeof(*c));
	engine_config_init(&c->eng);
	c->eng.state_dir = xstrdup(ENGINE_STATE_DIR);
	c->eng.state_write = true; /* --dump turns it off */
	c->eng.runtime_interval = 10;
	c->refresh_interval = 30;
	c->agentx_ping = 5;
	c->vm_tables = true;
	c->vcpu_table = true;
	c->notifications = true;
	c->notify_on_startup = true;
	c->hold_down = 0;
	c->event_delay_ms = 200;
}

void settings_clear(struct daemon_config *c)
{
	engine_config_clear(&c->eng);
}

static void bad(const char *token, const char *why)
{
	reporting = true;
	netsnmp_config_error("%s: %s", token, why);
	reporting = false;
	errors++;
}

int settings_parse_ratio(const char *s, unsigned *pct, char *err, size_t errlen)
{
	uint64_t whole = 0, frac = 0;
	const char *dot = strchr(s, '.');
	char e2[ERRLEN];
	size_t flen = 0;

	if (parse_u64(s, dot ? (size_t)(dot - s) : strlen(s), 1000, &whole, e2, sizeof(e2)) < 0) {
		err_set(err, errlen, "'%s' is not a ratio like 1.5 (%s)", s, e2);
		return -1;
	}
	if (dot) {
		flen = strlen(dot + 1);
		if (flen == 0 || flen > 2 ||
		    parse_u64(dot + 1, flen, 99, &frac, e2, sizeof(e2)) < 0) {
			err_set(err, errlen, "'%s': at most two decimals, like 1.25", s);
			return -1;
		}
		if (flen == 1)
			frac *= 10;
	}
	if (whole * 100 + frac == 0) {
		err_set(err, errlen, "'%s': the ratio must be above 0", s);
		return -1;
	}
	*pct = (unsigned)(whole * 100 + frac);
	return 0;
}

/* "4G", "512 MiB", "2048" (default_unit): libvirt's unit names, see units_scaled(). */
int settings_parse_size(const char *s, uint64_t default_unit, uint64_t *bytes, char *err,
			size_t errlen)
{
	char num[64];
	size_t i = 0;

	while (isspace((unsigned char)*s))
		s++;
	while (isdigit((unsigned char)s[i]) && i < sizeof(num) - 1) {
		num[i] = s[i];
		i++;
	}
	num[i] = '\0';
	if (i == 0) {
		err_set(err, errlen, "'%s' is not a size like 4G or 512MiB", s);
		return -1;
	}
	s += i;
	while (isspace((unsigned char)*s))
		s++;
	return units_scaled(num, *s ? s : NULL, default_unit, bytes, err, errlen);
}

static int parse_bool(const char *token, const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") ||
	    !strcasecmp(v, "off")) {
		*out = false;
		return 0;
	}
	bad(token, "expected yes or no");
	return -1;
}

static void parse_uint(const char *token, const char *v, uint64_t min, uint64_t max,
		       unsigned *out)
{
	char err[ERRLEN];
	uint64_t n;

	if (parse_u64_str(v, max, &n, err, sizeof(err)) < 0 || n < min) {
		char why[ERRLEN + 64];

		snprintf(why, sizeof(why), "'%s' is not a whole number from %llu to %llu", v,
			 (unsigned long long)min, (unsigned long long)max);
		bad(token, why);
		return;
	}
	*out = (unsigned)n;
}

static void set_path(const char *token, const char *v, char **slot)
{
	if (*v != '/') {
		bad(token, "expected an absolute path");
		return;
	}
	free(*slot);
	*slot = xstrdup(v);
}

static void h_path(const char *token, char *line)
{
	if (!loading)
		return;
	if (!strcasecmp(token, "sysfsRoot"))
		set_path(token, line, &loading->eng.sysfs_root);
	else if (!strcasecmp(token, "stateDir"))
		set_path(token, line, &loading->eng.state_dir);
	else if (!strcasecmp(token, "procRoot"))
		set_path(token, line, &loading->eng.proc_root);
	else if (!strcasecmp(token, "cgroupRoot"))
		set_path(token, line, &loading->eng.cgroup_root);
	else
		set_path(token, line, &loading->eng.xml_dir);
}

/* notificationQueue COUNT bounded an event queue that dropped its oldest events, clears
 * included; the queue now holds one notification per condition and drops none. The token is
 * still accepted (and checked), so that a file written for an older numatopd still loads. */
static void obsolete_queue(const char *token, const char *v)
{
	unsigned ignored;

	parse_uint(token, v, 1, 100000, &ignored);
	netsnmp_config_warn("%s is obsolete and ignored: the notification queue keeps one "
			    "notification per condition, and drops none",
			    token);
}

static void h_uint(const char *token, char *line)
{
	if (!loading)
		return;
	if (!strcasecmp(token, "refreshInterval"))
		parse_uint(token, line, 1, 86400, &loading->refresh_interval);
	else if (!strcasecmp(token, "agentxPingInterval"))
		parse_uint(token, line, 1, 3600, &loading->agentx_ping);
	else if (!strcasecmp(token, "notificationHoldDown"))
		parse_uint(token, line, 0, 86400, &loading->hold_down);
	else if (!strcasecmp(token, "eventDelay"))
		parse_uint(token, line, 0, 60000, &loading->event_delay_ms);
	else if (!strcasecmp(token, "notificationQueue"))
		obsolete_queue(token, line);
	else if (!strcasecmp(token, "runtimeInterval"))
		parse_uint(token, line, 0, 86400, &loading->eng.runtime_interval);
}

/* residencyMethod cgroup (memory.numa_stat, the default) or numa_maps (exact and counts
 * hugepages, but ~10 ms per GiB resident under QEMU's mmap lock, and CAP_SYS_PTRACE). */
static void h_residency(const char *token, char *line)
{
	if (!loading)
		return;
	if (!strcmp(line, "numa_maps"))
		loading->eng.numa_maps = true;
	else if (!strcmp(line, "cgroup"))
		loading->eng.numa_maps = false;
	else
		bad(token, "expected cgroup or numa_maps");
}

/* strayMemoryThreshold PERCENT [SIZE]: stray memory counts as drift from PERCENT of the
 * VM's resident memory and SIZE bytes on (a bare SIZE number is MiB). */
static void h_stray(const char *token, char *line)
{
	char err[ERRLEN], *pct = line, *size;
	unsigned p = 0;
	uint64_t bytes;

	if (!loading)
		return;
	size = strpbrk(line, " \t");
	if (size) {
		*size++ = '\0';
		size += strspn(size, " \t");
	}
	if (*pct && pct[strlen(pct) - 1] == '%')
		pct[strlen(pct) - 1] = '\0';
	parse_uint(token, pct, 0, 100, &p);
	loading->eng.acct.stray_pct = p;
	if (size == NULL || *size == '\0')
		return;
	if (settings_parse_size(size, 1024 * 1024, &bytes, err, sizeof(err)) < 0)
		bad(token, err);
	else
		loading->eng.acct.stray_min = bytes;
}

static void h_bool(const char *token, char *line)
{
	if (!loading)
		return;
	if (!strcasecmp(token, "vmTables"))
		parse_bool(token, line, &loading->vm_tables);
	else if (!strcasecmp(token, "vcpuTable"))
		parse_bool(token, line, &loading->vcpu_table);
	else if (!strcasecmp(token, "notifications"))
		parse_bool(token, line, &loading->notifications);
	else if (!strcasecmp(token, "notifyOnStartup"))
		parse_bool(token, line, &loading->notify_on_startup);
}

static void h_ratio(const char *token, char *line)
{
	char err[ERRLEN];
	unsigned pct;

	if (!loading)
		return;
	if (settings_parse_ratio(line, &pct, err, sizeof(err)) < 0) {
		bad(token, err);
		return;
	}
	if (!strcasecmp(token, "cpuAllocationRatio"))
		loading->eng.acct.cpu_ratio_pct = pct;
	else
		loading->eng.acct.mem_ratio_pct = pct;
}

/* reservedMemory [NODE] SIZE; a bare SIZE number is MiB. */
static void h_reserved(const char *token, char *line)
{
	struct account_config *a;
	char err[ERRLEN], first[64];
	const char *rest;
	uint64_t node, bytes;

	if (!loading)
		return;
	a = &loading->eng.acct;
	rest = copy_nword_const(line, first, sizeof(first));
	if (rest == NULL || *rest == '\0') {
		if (settings_parse_size(line, 1024 * 1024, &bytes, err, sizeof(err)) < 0)
			bad(token, err);
		else
			a->reserved_all = bytes;
		return;
	}
	if (parse_u64_str(first, CPUSET_MAX_NODES - 1, &node, err, sizeof(err)) < 0) {
		bad(token, "expected [NODE] SIZE, NODE a node id from 0 to 1023");
		return;
	}
	if (settings_parse_size(rest, 1024 * 1024, &bytes, err, sizeof(err)) < 0) {
		bad(token, err);
		return;
	}
	for (size_t i = 0; i < a->nreserved; i++) {
		if (a->reserved[i].node == node) {
			a->reserved[i].bytes = bytes;
			return;
		}
	}
	a->reserved = xreallocarray(a->reserved, a->nreserved + 1, sizeof(*a->reserved));
	a->reserved[a->nreserved].node = (unsigned)node;
	a->reserved[a->nreserved].bytes = bytes;
	a->nreserved++;
}

/* defaultHugepageSize SIZE, a bare number is KiB (as in libvirt's <page size>). */
static void h_size(const char *token, char *line)
{
	char err[ERRLEN];
	uint64_t bytes;

	if (!loading)
		return;
	if (!strcasecmp(token, "defaultHugepageSize")) {
		if (settings_parse_size(line, 1024, &bytes, err, sizeof(err)) < 0)
			bad(token, err);
		else if (bytes < 4096 || bytes % 1024)
			bad(token, "must be a whole number of KiB, at least 4 KiB");
		else
			loading->eng.acct.default_huge_kib = bytes / 1024;
		return;
	}
	/* maxFileSize: a bare number is bytes */
	if (settings_parse_size(line, 1, &bytes, err, sizeof(err)) < 0)
		bad(token, err);
	else if (bytes < 4096 || bytes > (uint64_t)1 << 30)
		bad(token, "must be from 4 KiB to 1 GiB");
	else
		loading->eng.max_file_size = (size_t)bytes;
}

static void h_library(const char *token, char *line)
{
	(void)token;
	(void)line;
}

static void hold(int priority, const char *fmt, ...)
{
	va_list ap;

	if (nheld == HELD_KEPT) {
		held_lost++;
		return;
	}
	held[nheld].priority = priority;
	va_start(ap, fmt);
	vsnprintf(held[nheld].text, sizeof(held[0].text), fmt, ap);
	va_end(ap);
	nheld++;
}

/* Log what waited, in order. */
static void flush_held(void)
{
	int i;

	reporting = true;
	for (i = 0; i < nheld; i++)
		snmp_log(held[i].priority, "%s", held[i].text);
	if (held_lost)
		snmp_log(LOG_WARNING, "%d more messages about the configuration were not kept\n",
			 held_lost);
	nheld = held_lost = 0;
	reporting = false;
}

/* The other handlers, while a callback handler (watch_log's way in) is there to hold what they
 * would have said; none when there is no such handler or too many to mute. */
static void mute_handlers(void)
{
	netsnmp_log_handler *h;
	int others = 0;
	bool callback = false;

	for (h = get_logh_head(); h; h = h->next) {
		if (!h->enabled)
			continue;
		if (h->type == NETSNMP_LOGHANDLER_CALLBACK)
			callback = true;
		else
			others++;
	}
	nmuted = 0;
	if (!callback || others > MUTED_MAX)
		return;
	for (h = get_logh_head(); h; h = h->next)
		if (h->enabled && h->type != NETSNMP_LOGHANDLER_CALLBACK) {
			netsnmp_disable_this_loghandler(h);
			muted[nmuted++] = h;
		}
}

static void unmute_handlers(void)
{
	while (nmuted > 0)
		netsnmp_enable_this_loghandler(muted[--nmuted]);
}

/* Net-SNMP reports unknown directives ("Unknown token" warnings) and bad values of the directives
 * it parses itself ("FILE: line N: Error: ...") only through its log; count both as errors while
 * a file of ours is being read. */
static int watch_log(int major, int minor, void *arg, void *client)
{
	const struct snmp_log_message *slm = arg;
	const char *unknown;

	(void)major;
	(void)minor;
	(void)client;
	if (!loading || !slm || !slm->msg)
		return 0;
	unknown = strstr(slm->msg, "Warning: Unknown token");
	if (!reporting && (unknown != NULL || strstr(slm->msg, ": Error: ") != NULL))
		errors++;
	/* "FILE: line N: Warning: Unknown token: NAME." is Net-SNMP's wording; for numatopd the
	 * directive is fatal, and said so */
	if (unknown != NULL)
		hold(LOG_ERR, "%.*sError: unknown directive%s", (int)(unknown - slm->msg), slm->msg,
		     unknown + strlen("Warning: Unknown token"));
	else if (nmuted > 0)
		hold(slm->priority, "%s", slm->msg);
	return 0;
}

void settings_register(void)
{
	static const struct {
		const char *token;
		void (*fn)(const char *, char *);
		const char *help;
	} directives[] = {
		{"sysfsRoot", h_path, "DIR (default /sys)"},
		{"libvirtXmlDir", h_path, "DIR (default /run/libvirt/qemu)"},
		{"stateDir", h_path, "DIR (default /var/lib/numatopd)"},
		{"procRoot", h_path, "DIR (default /proc)"},
		{"cgroupRoot", h_path, "DIR (default /sys/fs/cgroup)"},
		{"runtimeInterval", h_uint, "SECONDS (default 10; 0 = off)"},
		{"residencyMethod", h_residency, "cgroup|numa_maps (default cgroup)"},
		{"strayMemoryThreshold", h_stray, "PERCENT [SIZE] (default 5 64M)"},
		{"refreshInterval", h_uint, "SECONDS (default 30)"},
		{"agentxPingInterval", h_uint, "SECONDS (default 5)"},
		{"cpuAllocationRatio", h_ratio, "RATIO (default 1.0)"},
		{"memAllocationRatio", h_ratio, "RATIO (default 1.0)"},
		{"reservedMemory", h_reserved, "[NODE] SIZE (default 0; bare number = MiB)"},
		{"defaultHugepageSize", h_size, "SIZE (default 2048 KiB; bare number = KiB)"},
		{"maxFileSize", h_size, "SIZE (default 16M; bare number = bytes)"},
		{"vmTables", h_bool, "yes|no (default yes)"},
		{"vcpuTable", h_bool, "yes|no (default yes)"},
		{"notifications", h_bool, "yes|no (default yes)"},
		{"notifyOnStartup", h_bool, "yes|no (default yes)"},
		{"notificationHoldDown", h_uint, "SECONDS (default 0)"},
		{"eventDelay", h_uint, "MILLISECONDS (default 200)"},
		{"notificationQueue", h_uint, "COUNT (default none; obsolete, ignored)"},
	};
	/* Net-SNMP's own subagent directives: the daemon's init_agent() registers the library's
	 * handlers over these, so --dump, which starts no agent, accepts the same file. */
	static const char *const library[] = {"agentXSocket", "agentXTimeout", "agentXRetries"};
	static bool done;

	if (done)
		return;
	done = true;
	for (size_t i = 0; i < ARRAY_SIZE(library); i++)
		register_app_config_handler(library[i], h_library, NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(directives); i++)
		register_app_config_handler(directives[i].token, directives[i].fn, NULL,
					    directives[i].help);
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, watch_log, NULL);
}

void settings_register_after_agent(void)
{
	/* init_agent() registers the library's own agentxPingInterval (any integer) over ours;
	 * registering again replaces its parser, so the daemon checks 1..3600 as --dump does */
	register_app_config_handler("agentxPingInterval", h_uint, NULL, "SECONDS (default 5)");
}

/* Not read_configs(): its POST_READ_CONFIG callbacks include the subagent's start-up, which on a
 * reload would open a second AgentX session (a warning while connected; while the master is
 * away, a second reconnect timer that warns every ping interval for ever after). */
void settings_read(void)
{
	const char *opt =
	    netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	const char *type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);

	snmp_call_callbacks(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_PRE_READ_CONFIG, NULL);
	mute_handlers();
	if (!netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS))
		read_config_files(NORMAL_CONFIG);
	if (opt && type)
		read_config_with_type(opt, type);
	unmute_handlers();
	flush_held();
}

void settings_begin(struct daemon_config *target)
{
	settings_clear(target);
	settings_init(target);
	loading = target;
	errors = 0;
}

int settings_end(void)
{
	loading = NULL;
	flush_held(); /* what init_snmp()'s own read said of unknown directives */
	return errors;
}
