/* SPDX-License-Identifier: BSD-3-Clause */
/* check_numa.c: the Nagios/Icinga plugin: builds the model once as `numatopd --dump` does
 * (sysfs, the libvirt directory, numatopd.conf) and prints one verdict line (core/check). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snmp/settings.h"
#include "check_snmp.h"
#include "core/check.h"
#include "core/log.h"
#include "core/util.h"
#include "source/engine.h"

#define PROG "check_numa"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-w RANGE] [-c RANGE] [--warning-cpu-pct RANGE] "
		"[--critical-cpu-pct RANGE] ...\n"
		"       [--sysfs-root DIR] [--libvirt-xml-dir DIR] [--config FILE] [-t SECONDS]\n"
		"       check_numa -H HOST [-C COMMUNITY] [thresholds] [-t SECONDS]\n"
		"\n"
		"Checks the NUMA nodes of a KVM/libvirt host: the vCPUs and VM memory bound to each\n"
		"node against its limits, as numatopd computes them (numatopd.conf's ratios and\n"
		"reserved memory apply). Exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
		"\n"
		"Thresholds are ranges, [@]start:end: 10 (alert outside 0..10), 10: (below 10),\n"
		"~:10 (above 10), 10:20 (outside), @10:20 (inside). An empty RANGE turns a default\n"
		"off. Each applies to every node; the worst node and metric set the state.\n"
		"  -w, --warning-mem-pct RANGE      memory used, percent of the node's limit\n"
		"  -c, --critical-mem-pct RANGE     (default 100: critical when oversubscribed)\n"
		"      --warning-cpu-pct RANGE      vCPUs bound, percent of the node's CPU limit\n"
		"      --critical-cpu-pct RANGE     (default 100)\n"
		"      --warning-cpu-headroom RANGE     CPU limit - vCPUs bound (e.g. 2: for two spare)\n"
		"      --critical-cpu-headroom RANGE\n"
		"      --warning-mem-headroom RANGE     memory limit - VM memory, in MiB\n"
		"      --critical-mem-headroom RANGE\n"
		"      --warning-huge-short RANGE   hugepage memory the VMs need beyond the\n"
		"      --critical-huge-short RANGE  node's pools, in MiB (default critical 0)\n"
		"      --warning-invalid-files RANGE    libvirt XML files numatopd cannot read\n"
		"      --critical-invalid-files RANGE   (default warning 0)\n"
		"\n"
		"      --sysfs-root DIR             sysfs root (default /sys)\n"
		"      --libvirt-xml-dir DIR        libvirt domain XML directory (default\n"
		"                                   /run/libvirt/qemu; readable by root or with\n"
		"                                   CAP_DAC_READ_SEARCH only)\n"
		"      --config FILE                read this numatopd.conf only (default: the\n"
		"                                   Net-SNMP configuration path, /etc/snmp)\n"
		"      --no-runtime                 configured truth only: no /proc reads (a gone\n"
		"                                   VM's resources count as used)\n"
		"  -H, --hostname HOST              read a numatopd host's figures over SNMPv2c\n"
		"                                   instead (HOST, HOST:PORT, udp6:[ADDR]:PORT)\n"
		"  -C, --community STRING           SNMPv2c community (default public)\n"
		"  -U, --secname NAME               SNMPv3 instead: the USM user, with\n"
		"  -L, --seclevel LEVEL             noAuthNoPriv, authNoPriv, authPriv (default)\n"
		"  -a, --authproto PROTO            MD5, SHA (default), SHA-224 ... SHA-512\n"
		"  -A, --authpasswd PASSPHRASE\n"
		"  -x, --privproto PROTO            DES, AES (default), AES-192, AES-256\n"
		"  -X, --privpasswd PASSPHRASE\n"
		"  -t, --timeout SECONDS            UNKNOWN after this long (default 10)\n"
		"  -V, --version                    print the version\n"
		"  -h, --help                       this help\n");
}

/* The plugin's one line for a state it cannot judge, then exit 3. */
static void unknown(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void unknown(const char *fmt, ...)
{
	va_list ap;

	fputs("NUMA UNKNOWN - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(CHECK_UNKNOWN);
}

static void on_alarm(int sig)
{
	static const char line[] = "NUMA UNKNOWN - timed out\n";

	(void)sig;
	if (write(STDOUT_FILENO, line, sizeof(line) - 1) < 0) {
		/* nothing left to tell */
	}
	_exit(CHECK_UNKNOWN);
}

/* Log lines of the engine (an unreadable file, a bad directive) go to stderr, which Nagios
 * leaves out of the status: the state and summary say what matters. */
static void log_stderr(int prio, const char *msg)
{
	(void)prio;
	fprintf(stderr, PROG ": %s\n", msg);
}

struct opts {
	struct check_thresholds t;
	const char *sysfs_root, *xml_dir, *config;
	bool no_runtime; /* --no-runtime: configured truth only (runtimeInterval 0) */
	struct check_snmp_target snmp; /* -H and the SNMP options */
	unsigned timeout;
};

/* Option values of the long options: 256 + 2 x metric (+1 for critical), then these. */
enum { OPT_METRIC = 256, OPT_INVALID_W = OPT_METRIC + 2 * CHECK_NMETRICS, OPT_INVALID_C,
       OPT_SYSFS, OPT_XMLDIR, OPT_CONFIG, OPT_NORUNTIME };

static void set_range(struct check_range *r, const char *opt, const char *arg)
{
	char err[ERRLEN];

	if (*arg == '\0') {
		memset(r, 0, sizeof(*r));
		return;
	}
	if (check_range_parse(arg, r, err, sizeof(err)) < 0)
		unknown("--%s: %s", opt, err);
}

/* The long options: fixed ones, then warning-/critical- of every metric. */
static struct option *long_options(char names[][40])
{
	static const struct option fixed[] = {
		{"warning-invalid-files", required_argument, NULL, OPT_INVALID_W},
		{"critical-invalid-files", required_argument, NULL, OPT_INVALID_C},
		{"sysfs-root", required_argument, NULL, OPT_SYSFS},
		{"libvirt-xml-dir", required_argument, NULL, OPT_XMLDIR},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"no-runtime", no_argument, NULL, OPT_NORUNTIME},
		{"timeout", required_argument, NULL, 't'},
		{"hostname", required_argument, NULL, 'H'},
		{"community", required_argument, NULL, 'C'},
		{"secname", required_argument, NULL, 'U'},
		{"seclevel", required_argument, NULL, 'L'},
		{"authproto", required_argument, NULL, 'a'},
		{"authpasswd", required_argument, NULL, 'A'},
		{"privproto", required_argument, NULL, 'x'},
		{"privpasswd", required_argument, NULL, 'X'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
	};
	size_t nfixed = ARRAY_SIZE(fixed), n = nfixed + 2 * CHECK_NMETRICS;
	struct option *o = xcalloc(n + 1, sizeof(*o));

	memcpy(o, fixed, sizeof(fixed));
	for (int i = 0; i < 2 * CHECK_NMETRICS; i++) {
		snprintf(names[i], 40, "%s-%s", i % 2 ? "critical" : "warning",
			 check_metric_option((enum check_metric)(i / 2)));
		o[nfixed + (size_t)i] = (struct option){names[i], required_argument, NULL,
							OPT_METRIC + i};
	}
	return o;
}

static void parse_timeout(const char *arg, unsigned *out)
{
	uint64_t v;
	char err[ERRLEN];

	if (parse_u64_str(arg, 3600, &v, err, sizeof(err)) < 0 || v == 0)
		unknown("--timeout '%.20s': expected 1 to 3600 seconds", arg);
	*out = (unsigned)v;
}

static void parse_snmp(int c, const char *arg, struct check_snmp_target *t);

static void parse_one(int c, const char *arg, struct opts *op, const struct option *lo)
{
	if (c >= OPT_METRIC && c < OPT_INVALID_W) {
		int i = c - OPT_METRIC;
		struct check_range *r = i % 2 ? &op->t.crit[i / 2] : &op->t.warn[i / 2];

		for (; lo->name && lo->val != c; lo++)
			;
		set_range(r, lo->name ? lo->name : "?", arg);
		return;
	}
	switch (c) {
	case 'w':
		set_range(&op->t.warn[CHECK_MEM_PCT], "warning-mem-pct", arg);
		break;
	case 'c':
		set_range(&op->t.crit[CHECK_MEM_PCT], "critical-mem-pct", arg);
		break;
	case OPT_INVALID_W:
		set_range(&op->t.warn_invalid, "warning-invalid-files", arg);
		break;
	case OPT_INVALID_C:
		set_range(&op->t.crit_invalid, "critical-invalid-files", arg);
		break;
	case OPT_SYSFS:
		op->sysfs_root = arg;
		break;
	case OPT_XMLDIR:
		op->xml_dir = arg;
		break;
	case OPT_CONFIG:
		op->config = arg;
		break;
	case OPT_NORUNTIME:
		op->no_runtime = true;
		break;
	case 't':
		parse_timeout(arg, &op->timeout);
		break;
	case 'H':
		op->snmp.host = arg;
		break;
	default:
		parse_snmp(c, arg, &op->snmp);
		break;
	}
}

/* The SNMP options but -H. */
static void parse_snmp(int c, const char *arg, struct check_snmp_target *t)
{
	switch (c) {
	case 'C':
		t->community = arg;
		break;
	case 'U':
		t->secname = arg;
		break;
	case 'L':
		t->seclevel = arg;
		break;
	case 'a':
		t->authproto = arg;
		break;
	case 'A':
		t->authpass = arg;
		break;
	case 'x':
		t->privproto = arg;
		break;
	case 'X':
		t->privpass = arg;
		break;
	default:
		unknown("invalid option (" PROG " --help lists them)");
	}
}

static void parse_args(int argc, char **argv, struct opts *op)
{
	char names[2 * CHECK_NMETRICS][40];
	struct option *lo = long_options(names);
	int c;

	opterr = 0; /* the reason goes into the one line on stdout */
	while ((c = getopt_long(argc, argv, "w:c:t:H:C:U:L:a:A:x:X:Vh", lo, NULL)) != -1) {
		if (c == 'V' || c == 'h') {
			free(lo);
			/* monitoring-plugins exit with UNKNOWN after --help and --version */
			if (c == 'V')
				printf(PROG " (numatopd) %s\n", PACKAGE_VERSION);
			else
				usage(stdout);
			exit(CHECK_UNKNOWN);
		}
		if (c == '?' || c == ':') {
			free(lo);
			unknown("%s: invalid option or missing value (" PROG " --help lists them)",
				argv[optind - 1]);
		}
		parse_one(c, optarg, op, lo);
	}
	free(lo);
	if (optind < argc)
		unknown("unexpected argument '%.40s'", argv[optind]);
}

/* A directory of the command line over numatopd.conf's (as daemon_apply_overrides() does for
 * numatopd, which lives with the daemon loop this program does not link). */
static void override(char **slot, const char *value)
{
	if (value == NULL)
		return;
	free(*slot);
	*slot = xstrdup(value);
}

/* numatopd.conf as numatopd reads it (the Net-SNMP path, or --config alone), then the
 * command line's directories over it. */
static void read_numatopd_conf(const struct opts *op, struct daemon_config *cfg)
{
	struct stat st;

	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE, "numatopd");
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (op->config) {
		if (stat(op->config, &st) < 0 || !S_ISREG(st.st_mode))
			unknown("--config %.80s: no such file", op->config);
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
		netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG,
				      op->config);
	}
	settings_register();
	settings_begin(cfg);
	settings_read();
	if (settings_end() > 0)
		unknown("numatopd.conf has errors (on standard error)");
	override(&cfg->eng.sysfs_root, op->sysfs_root);
	override(&cfg->eng.xml_dir, op->xml_dir);
	if (op->no_runtime)
		cfg->eng.runtime_interval = 0;
	/* the verdict names no numaVmIndex: no VM index map is read, and a plugin writes no file */
	free(cfg->eng.state_dir);
	cfg->eng.state_dir = NULL;
	cfg->eng.state_write = false;
}

/* -H: the figures numatopd serves on HOST, over SNMP. */
static int check_remote(const struct opts *op)
{
	struct check_snmp_target t = op->snmp;
	char err[ERRLEN];
	struct model *m;
	enum check_state st;

	if (t.community == NULL)
		t.community = "public";
	t.timeout = op->timeout;
	if ((m = check_snmp_read(&t, err, sizeof(err))) == NULL)
		unknown("%s", err);
	if (m->nnodes == 0)
		unknown("SNMP %.100s: numaNodeTable is empty", t.host);
	if (m->source_status == SOURCE_UNAVAILABLE)
		unknown("SNMP %.100s: numatopd cannot read its libvirt XML directory "
			"(numaSourceStatus unavailable)", t.host);
	st = check_print(stdout, m, &op->t);
	model_unref(m);
	snmp_shutdown("check_numa");
	return fflush(stdout) == 0 ? (int)st : CHECK_UNKNOWN;
}

int main(int argc, char **argv)
{
	struct daemon_config cfg;
	struct opts op = {.timeout = 10};
	struct engine *e;
	struct model *m;
	enum check_state st;

	check_thresholds_default(&op.t);
	parse_args(argc, argv, &op);
	signal(SIGALRM, on_alarm);
	alarm(op.timeout);
	setenv("MIBS", "", 0);
	snmp_enable_stderrlog();
	log_set_hook(log_stderr);
	if (op.snmp.host)
		return check_remote(&op);
	settings_init(&cfg);
	read_numatopd_conf(&op, &cfg);
	e = engine_new(&cfg.eng);
	m = engine_build(e, 0);
	if (engine_node_count(e) == 0)
		unknown("%.200s/devices/system/node has no NUMA nodes", cfg.eng.sysfs_root);
	if (m->source_status == SOURCE_UNAVAILABLE)
		unknown("%.200s: the libvirt XML directory cannot be read (check_numa needs root or "
			"CAP_DAC_READ_SEARCH)", cfg.eng.xml_dir);
	st = check_print(stdout, m, &op.t);
	model_unref(m);
	engine_free(e);
	settings_clear(&cfg);
	xmlCleanupParser();
	return fflush(stdout) == 0 ? (int)st : CHECK_UNKNOWN;
}
