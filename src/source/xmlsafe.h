/* SPDX-License-Identifier: BSD-3-Clause */
/* xmlsafe.h: the libxml2 safety boundary. A file or buffer a tenant can influence becomes a
 * libxml2 tree only when it is small, UTF-8, NUL-free, entity- and DOCTYPE-free XML. */
#ifndef NUMATOPD_XMLSAFE_H
#define NUMATOPD_XMLSAFE_H

#include <stdbool.h>
#include <stddef.h>

struct _xmlDoc; /* libxml2's xmlDoc: includers of this header need not see libxml2 */

#define XMLSAFE_MAX_SIZE_DEFAULT (16u * 1024 * 1024)
#define XMLSAFE_MAX_DEPTH	 256 /* libxml2's nesting limit without XML_PARSE_HUGE */
#define XMLSAFE_FILTER_LEVELS	 7   /* levels whose filter kinds are remembered */
#define XMLSAFE_BUILD_ALL	 0   /* the filter kind "build everything below" */

/* Which elements become tree nodes: libxml2 still reads every byte and checks the whole file is
 * well-formed, but a subtree nobody reads is never built (nor freed), and what it holds (a
 * password) never reaches the tree. Called for each element whose parent was built, with the
 * kind the filter gave that parent (XMLSAFE_BUILD_ALL for the root and below level
 * XMLSAFE_FILTER_LEVELS); ns_uri is NULL without namespace. Returns false to skip the element
 * and everything under it, else true with *kind for its children. */
typedef bool xmlsafe_filter(int parent, bool is_root, const char *name, const char *ns_uri,
			    int *kind);

/* Parse a buffer of at most XMLSAFE_MAX_SIZE_DEFAULT bytes; filter NULL builds every element.
 * Returns a document with a root element (the caller frees it with xmlFreeDoc), or NULL with
 * one line of printable ASCII in err that never quotes the file ("line 3: unterminated
 * comment"): libxml2's own messages are never passed on. */
struct _xmlDoc *xmlsafe_parse_buffer(const char *buf, size_t len, xmlsafe_filter *filter, char *err,
				     size_t errlen);
/* The same for a file: at most max bytes (0 = XMLSAFE_MAX_SIZE_DEFAULT), opened with
 * O_NONBLOCK|O_NOFOLLOW, regular files only. */
struct _xmlDoc *xmlsafe_parse_file(const char *path, size_t max, xmlsafe_filter *filter, char *err,
				   size_t errlen);

/* Our sentence for libxml2 error code (an xmlParserErrors value) raised while open_elements
 * elements were open; NULL when we have none. Public for its tests. */
const char *xmlsafe_error_reason(int code, unsigned open_elements);

#endif
