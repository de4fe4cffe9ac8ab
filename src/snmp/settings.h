/* SPDX-License-Identifier: BSD-3-Clause */
/* settings.h: numatopd.conf directives, read through Net-SNMP's own config machinery (so the
 * file lives on the usual SNMP config path and -c names one). Errors name file and line. */
#ifndef NUMATOPD_SETTINGS_H
#define NUMATOPD_SETTINGS_H

#include <stdbool.h>

/* struct engine_config: the directives fill it (the one include from src/source, see
 * tests/layers.sh) */
#include "source/engine.h"

struct daemon_config {
	struct engine_config eng;
	unsigned refresh_interval; /* seconds, default 30 */
	unsigned agentx_ping;      /* seconds, default 5 */
	bool vm_tables;            /* default yes */
	bool vcpu_table;           /* default yes */
	bool notifications;        /* default yes */
	bool notify_on_startup;    /* default yes */
	unsigned hold_down;        /* seconds, default 0 */
	unsigned event_delay_ms;   /* default 200 */
};

void settings_init(struct daemon_config *c);
void settings_clear(struct daemon_config *c);

/* Register the directives with Net-SNMP for the application type "numatopd" (once). */
void settings_register(void);
/* After init_agent(): take back the directives the AgentX library registers over ours
 * (agentxPingInterval), so the daemon checks them as --dump does. */
void settings_register_after_agent(void);
/* Read the configuration files (the -c file alone when one was given) as read_configs() does,
 * without its POST_READ_CONFIG callbacks: one of them is the subagent's start-up. */
void settings_read(void);
/* Start collecting into target (reset to defaults); every directive read until settings_end()
 * lands there. */
void settings_begin(struct daemon_config *target);
/* Stop collecting. Returns the number of errors (invalid values, unknown directives) that
 * were reported, each already logged as "FILE: line N: ...". */
int settings_end(void);

/* Parsers shared with the command line. Return 0 or -1 with a reason in err. */
int settings_parse_ratio(const char *s, unsigned *pct, char *err, size_t errlen);
int settings_parse_size(const char *s, uint64_t default_unit, uint64_t *bytes, char *err,
			size_t errlen);

#endif
