/* SPDX-License-Identifier: BSD-3-Clause */
/* yield.h: points inside a long rebuild where the event loop may answer what waits (the
 * daemon serves AgentX requests from the snapshot already published). Pure: a hook only. */
#ifndef NUMATOPD_YIELD_H
#define NUMATOPD_YIELD_H

/* NULL (the default, --dump and the tests): yield_point() does nothing. */
void yield_set_hook(void (*fn)(void));

/* Called once per VM accounted and per file parsed; the hook decides how often to act. */
void yield_point(void);

#endif
