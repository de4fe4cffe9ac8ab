/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c: numatopd's command line: --dump (build the model once and print it) or the AgentX
 * subagent (daemon.c). Configuration comes through Net-SNMP's config machinery either way. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "snmp/settings.h"
#include "daemon.h"
#include "core/dump.h"
#include "source/engine.h"
#include "core/log.h"
#include "core/util.h"

#define APPNAME "numatopd"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: numatopd [OPTIONS]\n"
		"       numatopd --dump[=text|json] [--sysfs-root DIR] [--libvirt-xml-dir DIR] "
		"[--state-dir DIR]\n"
		"                [--proc-root DIR] [--cgroup-root DIR] [--no-runtime] [-c FILE]\n"
		"\n"
		"NUMA topology AgentX subagent for KVM/libvirt hosts (NUMA-TOPOLOGY-MIB).\n"
		"\n"
		"  -f                      stay in the foreground\n"
		"  -x ADDRESS              AgentX master address (default unix:" NETSNMP_AGENTX_SOCKET
		",\n"
		"                          which the packaged snmpd drop-in keeps; the unit uses\n"
		"                          unix:/var/agentx/numatopd)\n"
		"  -c FILE                 read only this configuration file\n"
		"  -L[efos...]             logging, as for snmpd (-Le stderr, -Ls d syslog, -Lf "
		"FILE)\n"
		"  -D[TOKEN[,...]]         debug output for these tokens (e.g. -Dnumatopd)\n"
		"  --sysfs-root DIR        sysfs root (default /sys)\n"
		"  --libvirt-xml-dir DIR   libvirt domain XML directory (default "
		"/run/libvirt/qemu)\n"
		"  --state-dir DIR         where the VM index map is kept (default "
		"/var/lib/numatopd;\n"
		"                          --dump reads it, never writes it)\n"
		"  --proc-root DIR         proc root for runtime reads (default /proc)\n"
		"  --cgroup-root DIR       cgroup root for runtime reads (default /sys/fs/cgroup)\n"
		"  --no-runtime            configured truth only (runtimeInterval 0)\n"
		"  --dump[=text|json]      build the model once, print it, exit\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n");
}

static void log_to_snmp(int prio, const char *msg)
{
	snmp_log(prio, "%s\n", msg);
}

struct opts {
	bool foreground;
	bool dump;
	bool json;
	bool logging_set;
	const char *agentx;
	const char *conf;
	struct cli_overrides o;
};

static int parse_args(int argc, char **argv, struct opts *op)
{
	static const struct option longopts[] = {
		{"dump", optional_argument, NULL, 'd'},
		{"sysfs-root", required_argument, NULL, 's'},
		{"libvirt-xml-dir", required_argument, NULL, 'l'},
		{"state-dir", required_argument, NULL, 'S'},
		{"proc-root", required_argument, NULL, 'p'},
		{"cgroup-root", required_argument, NULL, 'g'},
		{"no-runtime", no_argument, NULL, 'n'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	/* -Lf FILE appends: a restart (or a test starting numatopd again) must not wipe the
	 * lines of the run before, which say why it stopped */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPEND_LOGFILES, 1);
	while ((c = getopt_long(argc, argv, "fx:c:L:D::Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			op->foreground = true;
			break;
		case 'x':
			op->agentx = optarg;
			break;
		case 'c':
			op->conf = optarg;
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				fprintf(stderr, "numatopd: -L%s: invalid logging option\n", optarg);
				return -1;
			}
			op->logging_set = true;
			break;
		case 'D':
			debug_register_tokens(optarg ? optarg : "ALL");
			snmp_set_do_debugging(1);
			break;
		case 'd':
			op->dump = true;
			if (optarg && !strcmp(optarg, "json"))
				op->json = true;
			else if (optarg && strcmp(optarg, "text")) {
				fprintf(stderr, "numatopd: --dump=%s: expected text or json\n",
					optarg);
				return -1;
			}
			break;
		case 's':
			op->o.sysfs_root = optarg;
			break;
		case 'l':
			op->o.xml_dir = optarg;
			break;
		case 'S':
			op->o.state_dir = optarg;
			break;
		case 'p':
			op->o.proc_root = optarg;
			break;
		case 'g':
			op->o.cgroup_root = optarg;
			break;
		case 'n':
			op->o.no_runtime = true;
			break;
		case 'V':
			printf("numatopd %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "numatopd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

#define OWN_PATHS 7 /* -c, --sysfs-root, --libvirt-xml-dir, --state-dir, -x, --proc-root,
		     * --cgroup-root */

/* path made absolute against the working directory (daemon() moves to /); NULL stays NULL.
 * Not realpath(): the libvirt directory may appear only later. */
static char *absolute(const char *path)
{
	char cwd[4096];

	if (path == NULL || *path == '/')
		return path ? xstrdup(path) : NULL;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		fprintf(stderr, "numatopd: %s: cannot tell the working directory: %s\n", path,
			strerror(errno));
		return NULL;
	}
	return xasprintf("%s/%s", cwd, path);
}

/* -x unix:PATH with a relative PATH, made absolute; any other address as it is. */
static char *absolute_agentx(const char *addr)
{
	char *path, *r;

	if (addr == NULL || strncmp(addr, "unix:", 5) != 0 || addr[5] == '/' || addr[5] == '\0')
		return addr ? xstrdup(addr) : NULL;
	if ((path = absolute(addr + 5)) == NULL)
		return NULL;
	r = xasprintf("unix:%s", path);
	free(path);
	return r;
}

/* Every path of the command line made absolute, before anything reads them. */
static int absolute_paths(struct opts *op, char *own[OWN_PATHS])
{
	const char **slot[OWN_PATHS] = {&op->conf,	     &op->o.sysfs_root, &op->o.xml_dir,
					&op->o.state_dir, &op->agentx,	    &op->o.proc_root,
					&op->o.cgroup_root};

	for (size_t i = 0; i < OWN_PATHS; i++) {
		if (*slot[i] == NULL)
			continue;
		own[i] = slot[i] == &op->agentx ? absolute_agentx(*slot[i]) : absolute(*slot[i]);
		if (own[i] == NULL)
			return -1;
		*slot[i] = own[i];
	}
	return 0;
}

/* The daemon's configuration checked before it detaches, so that an error reaches the
 * terminal (or the log given with -L) and the exit status: the same directives, read again by
 * init_snmp() in daemon_run(). */
static int check_config(struct daemon_config *cfg)
{
	settings_begin(cfg);
	settings_read();
	if (settings_end() > 0)
		return -1;
	settings_begin(cfg);
	return 0;
}

/* -c FILE: only that file. It must exist: a typo must not silently mean "defaults". */
static int select_config(const char *conf)
{
	struct stat st;

	if (conf == NULL)
		return 0;
	if (stat(conf, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "numatopd: -c %s: no such configuration file\n", conf);
		return -1;
	}
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG, conf);
	return 0;
}

/* -x beats agentXSocket in numatopd.conf: re-applied after every read of the configuration
 * (start and SIGHUP). Registered before init_agent(), so it runs before the library's own
 * post-config hook opens the master session with the address. */
static int apply_agentx(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, client);
	return SNMP_ERR_NOERROR;
}

static int run_dump(struct daemon_config *cfg, const struct opts *op)
{
	struct engine *e;
	struct model *m;
	int rc;

	/* read_configs(), with what Net-SNMP logs held back and said as numatopd means it */
	settings_read();
	snmp_call_callbacks(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG, NULL);
	if (settings_end() > 0)
		return 1;
	daemon_apply_overrides(cfg, &op->o);
	cfg->eng.state_write = false; /* --dump reads the VM index map, never writes it */
	cfg->eng.once = true;
	e = engine_new(&cfg->eng);
	m = engine_build(e, 0);
	if (op->json)
		dump_json(stdout, m);
	else
		dump_text(stdout, m);
	rc = engine_node_count(e) == 0 ? 1 : 0;
	if (rc)
		fprintf(stderr, "numatopd: %s/devices/system/node has no NUMA nodes\n",
			cfg->eng.sysfs_root);
	/* the daemon waits for the directory; a one-shot dump without it is a failure */
	if (engine_dir_error(e)) {
		fprintf(stderr, "numatopd: --dump: libvirt directory %s\n", engine_dir_error(e));
		rc = 1;
	}
	model_unref(m);
	engine_free(e);
	return fflush(stdout) == 0 ? rc : 1;
}

int main(int argc, char **argv)
{
	struct daemon_config cfg;
	char *own[OWN_PATHS] = {NULL};
	struct opts op;
	int rc;

	memset(&op, 0, sizeof(op));
	settings_init(&cfg);
	/* A subagent needs no MIB files (it serves OIDs, it never parses names) and no persistent
	 * state: loading Debian's default MIB list would print a page of "Cannot find module", and
	 * writing /var/lib/snmp is impossible under the hardened unit. */
	setenv("MIBS", "", 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (parse_args(argc, argv, &op) < 0)
		return 1;
	if (!op.logging_set)
		snmp_enable_stderrlog();
	log_set_hook(log_to_snmp);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE, APPNAME);
	if (absolute_paths(&op, own) < 0 || select_config(op.conf) < 0) {
		rc = 1;
		goto out;
	}
	settings_register();
	settings_begin(&cfg);
	if (op.dump) {
		rc = run_dump(&cfg, &op);
	} else if (check_config(&cfg) < 0) {
		rc = 1;
	} else {
		/* a copy: snmp_shutdown() frees every callback's client argument (clear_callback),
		 * and argv is not the heap */
		if (op.agentx)
			snmp_register_callback(SNMP_CALLBACK_LIBRARY,
					       SNMP_CALLBACK_POST_READ_CONFIG, apply_agentx,
					       xstrdup(op.agentx));
		if (!op.foreground && daemon(0, 0) < 0) {
			perror("numatopd: daemon");
			rc = 1;
			goto out;
		}
		/* daemon() pointed stderr at /dev/null: without -L, the log goes to syslog */
		if (!op.foreground && !op.logging_set) {
			snmp_disable_stderrlog();
			snmp_enable_syslog_ident(APPNAME, LOG_DAEMON);
		}
		rc = daemon_run(&cfg, &op.o);
	}
out:
	for (size_t i = 0; i < OWN_PATHS; i++)
		free(own[i]);
	settings_clear(&cfg);
	xmlCleanupParser();
	return rc;
}
