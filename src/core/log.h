/* SPDX-License-Identifier: BSD-3-Clause */
/* log.h: one logging entry point for the layers below the SNMP glue. The daemon routes it to
 * Net-SNMP's snmp_log() (so -L works); tests and --dump route it to stderr. */
#ifndef NUMATOPD_LOG_H
#define NUMATOPD_LOG_H

#include <syslog.h>

typedef void (*log_hook_fn)(int prio, const char *msg);

/* NULL restores the default (stderr, "numatopd: " prefix). */
void log_set_hook(log_hook_fn fn);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

#endif
