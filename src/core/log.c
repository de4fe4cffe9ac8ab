/* SPDX-License-Identifier: BSD-3-Clause */
/* log.c: the logging hook; one line per event, never XML content (callers pass only the file
 * name and the parser's reason). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static log_hook_fn hook;

void log_set_hook(log_hook_fn fn)
{
	hook = fn;
}

void log_msg(int prio, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (hook) {
		hook(prio, buf);
		return;
	}
	fprintf(stderr, "numatopd: %s\n", buf);
}
