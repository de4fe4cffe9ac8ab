/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_xmlsafe.c: the libxml2 safety boundary alone (xmlsafe_parse_buffer), once building every
 * element and once with a filter that prunes, checked against each other and the rules. */
#include <string.h>

#include <libxml/tree.h>

#include "core/util.h"
#include "fuzz.h"
#include "source/xmlsafe.h"

/* How many elements below the root the pruner let through in this parse. */
static size_t kept;

/* Prunes elements whose name has an odd length, and gives a parent's kind plus one to the
 * children, so the kinds remembered per level are exercised too. */
static bool odd_pruner(int parent, bool is_root, const char *name, const char *ns_uri, int *kind)
{
	(void)ns_uri;
	FUZZ_CHECK(!is_root || parent == XMLSAFE_BUILD_ALL);
	*kind = parent + 1;
	if (is_root)
		return true;
	if (strlen(name) % 2 != 0)
		return false;
	kept++;
	return true;
}

/* Whether a built element's name may be the one the filter saw. libxml2 recovers from namespace
 * errors in two ways: a prefix no xmlns binds is built as "prefix:local" while the filter saw
 * "local"; a QName it cannot split (":local", "a:b:c") is both seen and built whole. The local
 * part may hold a colon itself ("by:by:ssa": prefix "by", local "by:ssa"), so the prefix is what
 * comes before the first colon, and the rule before the last is kept too. */
static bool name_as_seen(xmlNodePtr n)
{
	const char *name = (const char *)n->name, *first = strchr(name, ':'),
		   *last = strrchr(name, ':');

	return strlen(name) % 2 == 0 ||
	       (n->ns == NULL && first != NULL &&
		(strlen(first + 1) % 2 == 0 || strlen(last + 1) % 2 == 0));
}

/* What the boundary promises of a tree: no DTD, no entity of any kind, and with the pruner no
 * element it refused: exactly the elements it kept are built, whatever names libxml2 gives them.
 * Iterative, as the depth is up to libxml2's limit. */
static void check_tree(xmlDocPtr doc, bool pruned)
{
	xmlNodePtr n = xmlDocGetRootElement(doc);
	size_t depth = 0, below_root = 0;

	FUZZ_CHECK(n != NULL && doc->intSubset == NULL && doc->extSubset == NULL);
	while (n != NULL) {
		FUZZ_CHECK(n->type != XML_ENTITY_REF_NODE && n->type != XML_ENTITY_NODE &&
			   n->type != XML_ENTITY_DECL && n->type != XML_DTD_NODE);
		if (n->type == XML_ELEMENT_NODE && depth > 0) {
			below_root++;
			FUZZ_CHECK(!pruned || name_as_seen(n));
		}
		FUZZ_CHECK(depth <= XMLSAFE_MAX_DEPTH);
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			depth++;
			continue;
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNodePtr)doc) {
				FUZZ_CHECK(!pruned || below_root == kept);
				return;
			}
			depth--;
		}
		n = n->next;
	}
}

int fuzz_xmlsafe(const uint8_t *data, size_t size)
{
	char all_err[ERRLEN] = "", pruned_err[ERRLEN] = "";
	xmlDocPtr all, pruned;

	all = xmlsafe_parse_buffer((const char *)data, size, NULL, all_err, sizeof(all_err));
	kept = 0;
	pruned = xmlsafe_parse_buffer((const char *)data, size, odd_pruner, pruned_err,
				      sizeof(pruned_err));
	/* pruning saves building nodes; it never changes what is accepted, nor why not */
	FUZZ_CHECK((all == NULL) == (pruned == NULL));
	if (all == NULL) {
		fuzz_check_reason(all_err, sizeof(all_err));
		FUZZ_CHECK(strcmp(all_err, pruned_err) == 0);
		return 0;
	}
	FUZZ_CHECK(size > 0 && size <= XMLSAFE_MAX_SIZE_DEFAULT && memchr(data, 0, size) == NULL);
	check_tree(all, false);
	check_tree(pruned, true);
	xmlFreeDoc(all);
	xmlFreeDoc(pruned);
	return 0;
}

FUZZ_ENTRY(fuzz_xmlsafe)
