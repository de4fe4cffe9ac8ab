/* SPDX-License-Identifier: BSD-3-Clause */
/* domxml_nodes.c: reading libxml2 nodes into values for the domain mapper: attributes, text,
 * children, numbers, CPU sets and scaled sizes, each error one sentence naming where. */
#include "source/domxml_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/util.h"

int domxml_fail(struct mapper *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (p->err != NULL && p->errlen > 0)
		vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Hold a string libxml2 allocated until the parse ends, so no error path has to free it. */
const char *domxml_free_later(struct mapper *p, xmlChar *s)
{
	xmlChar **slot;

	if (s == NULL)
		return NULL;
	slot = array_push(&p->strs, &p->nstrs, &p->capstrs, sizeof(*p->strs));
	*slot = s;
	return (const char *)s;
}

/* An attribute without namespace, as libvirt reads them; NULL when absent. */
const char *domxml_prop(struct mapper *p, xmlNodePtr n, const char *name)
{
	return domxml_free_later(p, xmlGetNoNsProp(n, (const xmlChar *)name));
}

const char *domxml_text(struct mapper *p, xmlNodePtr n)
{
	const char *s = domxml_free_later(p, xmlNodeGetContent(n));

	return s != NULL ? s : "";
}

/* libvirt's own elements carry no namespace; <qemu:commandline> and metadata do. */
bool domxml_is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	       strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr domxml_first_from(xmlNodePtr n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (domxml_is_elem(n, name))
			return n;
	return NULL;
}

/* The first element child of n named name, or NULL; n may be NULL. */
xmlNodePtr domxml_child(xmlNodePtr n, const char *name)
{
	return n != NULL ? domxml_first_from(n->children, name) : NULL;
}

/* The next sibling with the same name: for (c = domxml_child(n, "x"); c; c = domxml_next(c)). */
xmlNodePtr domxml_next(xmlNodePtr c)
{
	return domxml_first_from(c->next, (const char *)c->name);
}

/* An unsigned number in string s (NULL = absent). Returns 1 when present, 0 when absent and
 * optional, -1 on error. */
int domxml_number(struct mapper *p, const char *where, const char *what, const char *s,
		  bool required, uint64_t max, uint64_t *out)
{
	char e[ERRLEN];

	if (s == NULL) {
		if (required)
			return domxml_fail(p, "%s: missing %s", where, what);
		return 0;
	}
	if (parse_u64_str(s, max, out, e, sizeof(e)) < 0)
		return domxml_fail(p, "%s: %s: %s", where, what, e);
	return 1;
}

int domxml_number_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		       bool required, uint64_t max, uint64_t *out)
{
	return domxml_number(p, where, attr, domxml_prop(p, n, attr), required, max, out);
}

/* A cpuset/nodeset value in libvirt syntax (s NULL: absent). *out stays NULL when absent and
 * optional, and on every error. */
int domxml_set_value(struct mapper *p, const char *where, const char *attr, const char *s,
		     unsigned limit, int flags, struct cpuset **out)
{
	char e[ERRLEN], v[48];

	*out = NULL;
	if (s == NULL) {
		if (flags & SET_REQUIRED)
			return domxml_fail(p, "%s: missing %s", where, attr);
		return 0;
	}
	str_ascii_copy(v, sizeof(v), s, 40);
	*out = cpuset_parse(s, strlen(s), limit, CPUSET_LIBVIRT, e, sizeof(e));
	if (*out == NULL) {
		size_t len = strlen(s);

		/* "'3-1': reversed range" already quotes the whole value */
		if (e[0] == '\'' && strncmp(e + 1, s, len) == 0 && e[len + 1] == '\'')
			return domxml_fail(p, "%s: %s %s", where, attr, e);
		return domxml_fail(p, "%s: %s '%s': %s", where, attr, v, e);
	}
	if ((flags & SET_NONEMPTY) && cpuset_empty(*out)) {
		/* on any error *out is NULL: a caller holding it in a local must not leak it */
		cpuset_free(*out);
		*out = NULL;
		return domxml_fail(p, "%s: %s '%s' selects nothing", where, attr, v);
	}
	return 0;
}

int domxml_set_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		    unsigned limit, int flags, struct cpuset **out)
{
	return domxml_set_value(p, where, attr, domxml_prop(p, n, attr), limit, flags, out);
}

/* <name unit='...'>value</name>, or the value and unit in attributes of one element. */
int domxml_bytes(struct mapper *p, const char *where, const char *value, const char *unit,
		 uint64_t *bytes)
{
	char e[ERRLEN];

	if (units_scaled(value, unit, 1024, bytes, e, sizeof(e)) < 0)
		return domxml_fail(p, "%s: %s", where, e);
	return 0;
}
