/* SPDX-License-Identifier: BSD-3-Clause */
/* master.c: says which AgentX master address numatopd tries and why it cannot connect (the
 * library logs "Failed to connect to the agentx master agent ([NIL]):" with no reason). */
#include "master.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "core/log.h"

static struct {
	bool connected;
	int told;	/* the errno last logged, -1 = nothing logged since the last session */
	unsigned alarm; /* the retry check, 0 = none */
	unsigned interval;
} master = {.told = -1};

const char *master_address(void)
{
	const char *a = netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET);

	return a && *a ? a : "unix:" NETSNMP_AGENTX_SOCKET;
}

/* Why a unix-socket address does not connect now (connect(2)'s errno), 0 when it does or when
 * the address is a network one (not probed). */
static int probe(const char *addr)
{
	const char *path = strncmp(addr, "unix:", 5) == 0 ? addr + 5 : addr[0] == '/' ? addr : NULL;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd, e = 0;

	if (path == NULL)
		return 0;
	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		e = errno;
	close(fd);
	return e;
}

static void check(unsigned int reg, void *arg)
{
	int e;

	(void)reg;
	(void)arg;
	if (master.connected)
		return;
	e = probe(master_address());
	if (e == master.told)
		return;
	master.told = e;
	if (e)
		log_warn("AgentX master %s: %s; trying again every %u s (agentxPingInterval)",
			 master_address(), strerror(e), master.interval);
	else
		log_warn("AgentX master %s: no session yet; trying again every %u s "
			 "(agentxPingInterval)",
			 master_address(), master.interval);
}

static int on_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	master.connected = true;
	if (master.told != -1)
		log_info("AgentX master %s: connected", master_address());
	master.told = -1;
	return SNMP_ERR_NOERROR;
}

static int on_stop(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	master.connected = false;
	return SNMP_ERR_NOERROR;
}

void master_init(void)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_start, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_stop, NULL);
}

void master_watch(unsigned interval)
{
	if (master.alarm)
		snmp_alarm_unregister(master.alarm);
	master.interval = interval ? interval : 1;
	check(0, NULL);
	master.alarm = snmp_alarm_register(master.interval, SA_REPEAT, check, NULL);
}

void master_shutdown(void)
{
	if (master.alarm)
		snmp_alarm_unregister(master.alarm);
	master.alarm = 0;
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START, on_start,
				 NULL, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP, on_stop,
				 NULL, 1);
}
