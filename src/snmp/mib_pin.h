/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_pin.h: the snapshot the MIB answers from: published by the daemon after each rebuild,
 * pinned by each request (and by every AgentX PDU of one master transaction) while it reads. */
#ifndef NUMATOPD_MIB_PIN_H
#define NUMATOPD_MIB_PIN_H

#include "core/model.h"

/* Net-SNMP's request information, by its struct tag: the daemon includes this header without
 * the agent headers. */
struct netsnmp_agent_request_info_s;

/* Make m the snapshot new requests answer from (takes a reference, drops the old one; a
 * request already in flight keeps the snapshot it started with). */
void mib_publish(struct model *m);
/* The published snapshot, not referenced (NULL before the first publish). */
struct model *mib_current(void);

/* Called once per incoming request, before it pins its snapshot: the daemon uses it for the
 * on-demand rebuild, which it only schedules: the hook must not rebuild, the request is
 * answered from the snapshot current now. NULL = none. Not called for the further PDUs of
 * one master transaction: snmpd sends each repetition of a GETBULK as its own AgentX GetNext
 * with the GETBULK's transaction id, and all of them read the snapshot the first one pinned. */
void mib_set_refresh_hook(void (*fn)(void));

/* Forget the transactions remembered (their snapshots are released once no request holds
 * them): a new AgentX session starts, whose transaction ids may repeat the old session's. */
void mib_forget_transaction(void);

/* The snapshot this request answers from: pinned on the first call for a request and kept
 * by it until it is freed; NULL when nothing is published. */
struct model *mib_pin(struct netsnmp_agent_request_info_s *reqinfo);

#endif
