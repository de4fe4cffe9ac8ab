/* SPDX-License-Identifier: BSD-3-Clause */
/* daemon.h: the AgentX subagent: one thread, one event loop (Net-SNMP's select loop plus our
 * own fds), rebuild timer, signals. */
#ifndef NUMATOPD_DAEMON_H
#define NUMATOPD_DAEMON_H

#include <stdbool.h>

#include "snmp/settings.h"

struct cli_overrides {
	const char *sysfs_root;
	const char *xml_dir;
	const char *state_dir;
	const char *proc_root;
	const char *cgroup_root;
	bool no_runtime; /* --no-runtime: runtimeInterval 0 */
};

/* Apply the command line over a config read from the file (the command line wins). */
void daemon_apply_overrides(struct daemon_config *c, const struct cli_overrides *o);

/* Run until SIGTERM/SIGINT. cfg has been read already (init_snmp done). Returns the exit
 * status. */
int daemon_run(struct daemon_config *cfg, const struct cli_overrides *o);

#endif
