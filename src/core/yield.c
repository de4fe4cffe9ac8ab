/* SPDX-License-Identifier: BSD-3-Clause */
/* yield.c: the hook a long rebuild calls between VMs and files, so that at 10,000 VMs a
 * rebuild never keeps a request waiting past snmpd's agentXTimeout. */
#include "core/yield.h"

#include <stddef.h>

static void (*hook)(void);

void yield_set_hook(void (*fn)(void))
{
	hook = fn;
}

void yield_point(void)
{
	if (hook)
		hook();
}
