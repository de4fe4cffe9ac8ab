/* SPDX-License-Identifier: BSD-3-Clause */
/* xmlsafe.c: libxml2 held at arm's length: size, NUL, UTF-8 checks before it sees a byte; no
 * DTD, no entities, no network; SAX pruning of unread subtrees; errors mapped by code. */
#include "source/xmlsafe.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "core/util.h"
#include "source/read_file.h"

#define MSG_MAX 96 /* longest reason for a libxml2 error we report */

/* IGNORE_ENC: libvirt writes UTF-8 only, and we check that before parsing, so libxml2 never
 * converts; its converters report errors through the global handler, i.e. to stderr.
 * No XML_PARSE_NOERROR/NOWARNING: from libxml2 2.13 on they silence the structured callback too,
 * and every error would read "not well-formed XML"; new_parser() clears the printing handlers,
 * which is all those options did up to 2.12. Decided at run time, not by LIBXML_VERSION: a
 * binary built against 2.12 headers may run on a 2.13 libxml2.so.2. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_IGNORE_ENC)

/* libxml2 2.12 made the structured error callback's error const (xmlStructuredErrorFunc). */
#if LIBXML_VERSION >= 21200
#define XMLSAFE_ERROR_CONST const
#else
#define XMLSAFE_ERROR_CONST
#endif

/* What one parse saw: the first fatal (well-formedness) error, else the first error; and where
 * the pruning SAX handlers are. Hangs off the parser context's _private. */
struct parse_state {
	xmlsafe_filter *filter;
	bool doctype;
	bool entity_ref; /* a reference callback, in a built part or not */
	bool have_fatal, have_error;
	char fatal[MSG_MAX];
	char error[MSG_MAX];
	unsigned depth; /* open built elements */
	unsigned skip;	/* open elements of a subtree not built; 0 = building */
	int kind[XMLSAFE_FILTER_LEVELS];
};

static struct parse_state *state_of(void *ctxt)
{
	return ((xmlParserCtxtPtr)ctxt)->_private;
}

/* ---------------------------------------------------------------- error mapping */

/* Our own sentence for a libxml2 error code. libxml2's message text is never passed on: it
 * quotes comment text, stray tokens and entity names, and a status file holds VNC and SPICE
 * passwords. */
static const char *reason_of_code(int code)
{
	static const struct {
		int code;
		const char *reason;
	} map[] = {
	    {XML_ERR_NO_MEMORY, "out of memory while parsing"},
	    {XML_ERR_DOCUMENT_START, "no start tag (not XML)"},
	    {XML_ERR_DOCUMENT_EMPTY, "no start tag (document is empty or not XML)"},
	    {XML_ERR_DOCUMENT_END, "extra content after the root element"},
	    {XML_ERR_EXTRA_CONTENT, "extra content after the root element"},
	    {XML_ERR_INVALID_HEX_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_DEC_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_CHAR, "invalid character"},
	    {XML_ERR_CHARREF_AT_EOF, "premature end of data (truncated file)"},
	    {XML_ERR_CHARREF_IN_PROLOG, "character reference outside the root element"},
	    {XML_ERR_CHARREF_IN_EPILOG, "character reference outside the root element"},
	    {XML_ERR_ENTITYREF_AT_EOF, "premature end of data (truncated file)"},
	    {XML_ERR_ENTITYREF_NO_NAME, "bad entity reference"},
	    {XML_ERR_ENTITYREF_SEMICOL_MISSING, "bad entity reference (no ';')"},
	    {XML_ERR_UNDECLARED_ENTITY, "undefined entity reference"},
	    {XML_WAR_UNDECLARED_ENTITY, "undefined entity reference"},
	    {XML_ERR_UNKNOWN_ENCODING, "unsupported encoding"},
	    {XML_ERR_UNSUPPORTED_ENCODING, "unsupported encoding"},
	    {XML_ERR_STRING_NOT_STARTED, "string not started"},
	    {XML_ERR_STRING_NOT_CLOSED, "unterminated string"},
	    {XML_ERR_LT_IN_ATTRIBUTE, "'<' in an attribute value"},
	    {XML_ERR_ATTRIBUTE_NOT_STARTED, "attribute value not quoted"},
	    {XML_ERR_ATTRIBUTE_NOT_FINISHED, "unterminated attribute value"},
	    {XML_ERR_ATTRIBUTE_WITHOUT_VALUE, "attribute without a value"},
	    {XML_ERR_ATTRIBUTE_REDEFINED, "attribute given twice in one element"},
	    {XML_ERR_LITERAL_NOT_STARTED, "literal not started"},
	    {XML_ERR_LITERAL_NOT_FINISHED, "unterminated literal"},
	    {XML_ERR_COMMENT_NOT_FINISHED, "unterminated comment"},
	    {XML_ERR_PI_NOT_STARTED, "malformed processing instruction"},
	    {XML_ERR_PI_NOT_FINISHED, "unterminated processing instruction"},
	    {XML_ERR_XMLDECL_NOT_STARTED, "malformed XML declaration"},
	    {XML_ERR_XMLDECL_NOT_FINISHED, "malformed XML declaration"},
	    {XML_ERR_VERSION_MISSING, "XML declaration without a version"},
	    {XML_ERR_MISPLACED_CDATA_END, "']]>' in character data"},
	    {XML_ERR_CDATA_NOT_FINISHED, "unterminated CDATA section"},
	    {XML_ERR_RESERVED_XML_NAME, "XML declaration not at the start"},
	    {XML_ERR_SPACE_REQUIRED, "a space is missing"},
	    {XML_ERR_NAME_REQUIRED, "a name was expected"},
	    {XML_ERR_GT_REQUIRED, "'>' expected"},
	    {XML_ERR_LTSLASH_REQUIRED, "end tag expected"},
	    {XML_ERR_EQUAL_REQUIRED, "'=' expected after an attribute name"},
	    {XML_ERR_TAG_NAME_MISMATCH, "mismatched tag (start and end tag differ)"},
	    {XML_ERR_TAG_NOT_FINISHED, "premature end of data (truncated file)"},
	    {XML_ERR_HYPHEN_IN_COMMENT, "'--' inside a comment"},
	    {XML_ERR_NOT_WELL_BALANCED, "not well-formed XML (unbalanced elements)"},
	    {XML_ERR_NAME_TOO_LONG, "a name is too long"},
	    {XML_NS_ERR_UNDEFINED_NAMESPACE, "undefined namespace prefix"},
	    {XML_NS_ERR_QNAME, "malformed qualified name"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].code == code)
			return map[i].reason;
	return NULL;
}

/* XML_ERR_RESOURCE_LIMIT first appeared in libxml2 2.13's headers. Error codes are ABI, so a
 * binary built against older headers that runs on a 2.13 libxml2.so.2 still knows it by value. */
#if LIBXML_VERSION >= 21300
#define ERR_RESOURCE_LIMIT XML_ERR_RESOURCE_LIMIT
_Static_assert(XML_ERR_RESOURCE_LIMIT == 114, "libxml2 renumbered XML_ERR_RESOURCE_LIMIT");
#else
#define ERR_RESOURCE_LIMIT 114
#endif

/* libxml2 stops at XMLSAFE_MAX_DEPTH open elements. Up to 2.12 it reports that as
 * XML_ERR_INTERNAL_ERROR, from 2.13 on as XML_ERR_RESOURCE_LIMIT (parser.c, "Excessive depth in
 * document"); neither code means depth alone, so our own count of open elements decides. */
static bool is_depth_limit(int code, unsigned open_elements)
{
	if (open_elements < XMLSAFE_MAX_DEPTH)
		return false;
	return code == ERR_RESOURCE_LIMIT || code == XML_ERR_INTERNAL_ERROR;
}

const char *xmlsafe_error_reason(int code, unsigned open_elements)
{
	if (is_depth_limit(code, open_elements))
		return "nesting depth over 256 levels";
	return reason_of_code(code);
}

static void record_error(char *dst, size_t dstlen, const xmlError *e, unsigned open_elements)
{
	const char *reason = xmlsafe_error_reason(e->code, open_elements);

	if (reason != NULL)
		snprintf(dst, dstlen, "line %d: %s", e->line, reason);
	else
		snprintf(dst, dstlen, "line %d: XML syntax error (libxml2 error %d)", e->line,
			 e->code);
}

static void on_error(void *data, XMLSAFE_ERROR_CONST xmlError *e)
{
	xmlParserCtxtPtr ctxt = data;
	struct parse_state *ps = ctxt != NULL ? ctxt->_private : NULL;

	if (ps == NULL || e == NULL)
		return;
	if (e->level == XML_ERR_FATAL && !ps->have_fatal) {
		record_error(ps->fatal, sizeof(ps->fatal), e, ps->depth + ps->skip);
		ps->have_fatal = true;
	} else if (e->level == XML_ERR_ERROR && !ps->have_error) {
		record_error(ps->error, sizeof(ps->error), e, ps->depth + ps->skip);
		ps->have_error = true;
	}
}

/* ---------------------------------------------------------------- SAX: what is built */

/* Stop at the DOCTYPE, before libxml2 reads a single entity declaration. */
static void on_doctype(void *data, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	state_of(data)->doctype = true;
	xmlStopParser(data);
}

/* Whether the filter builds this element, and the kind it gives its children. */
static bool builds(struct parse_state *ps, const xmlChar *name, const xmlChar *uri, int *kind)
{
	int parent = ps->depth == 0			  ? XMLSAFE_BUILD_ALL
		     : ps->depth <= XMLSAFE_FILTER_LEVELS ? ps->kind[ps->depth - 1]
							  : XMLSAFE_BUILD_ALL;

	*kind = XMLSAFE_BUILD_ALL;
	if (ps->filter == NULL)
		return true;
	return ps->filter(parent, ps->depth == 0, (const char *)name, (const char *)uri, kind);
}

static void on_start(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **nss, int nattrs, int ndefaulted,
		     const xmlChar **attrs)
{
	struct parse_state *ps = state_of(data);
	int kind;

	if (ps->skip > 0) {
		ps->skip++;
		return;
	}
	if (!builds(ps, name, uri, &kind)) {
		ps->skip = 1;
		return;
	}
	if (ps->depth < XMLSAFE_FILTER_LEVELS)
		ps->kind[ps->depth] = kind;
	ps->depth++;
	xmlSAX2StartElementNs(data, name, prefix, uri, nns, nss, nattrs, ndefaulted, attrs);
}

static void on_end(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct parse_state *ps = state_of(data);

	if (ps->skip > 0) {
		ps->skip--;
		return;
	}
	if (ps->depth > 0)
		ps->depth--;
	xmlSAX2EndElementNs(data, name, prefix, uri);
}

static void on_chars(void *data, const xmlChar *ch, int len)
{
	if (state_of(data)->skip == 0)
		xmlSAX2Characters(data, ch, len);
}

static void on_cdata(void *data, const xmlChar *ch, int len)
{
	if (state_of(data)->skip == 0)
		xmlSAX2CDataBlock(data, ch, len);
}

static void on_comment(void *data, const xmlChar *comment)
{
	if (state_of(data)->skip == 0)
		xmlSAX2Comment(data, comment);
}

static void on_pi(void *data, const xmlChar *target, const xmlChar *content)
{
	if (state_of(data)->skip == 0)
		xmlSAX2ProcessingInstruction(data, target, content);
}

/* Without a DTD (refused above) libxml2 treats any entity reference as a fatal error, so this
 * should never run; if it does, the file is refused wherever the reference was. */
static void on_reference(void *data, const xmlChar *name)
{
	struct parse_state *ps = state_of(data);

	ps->entity_ref = true;
	if (ps->skip == 0)
		xmlSAX2Reference(data, name);
}

/* ---------------------------------------------------------------- checks around libxml2 */

/* Strict UTF-8 (no overlong forms, surrogates or code points over U+10FFFF). Returns the
 * offset of the first bad byte, or len. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c, need, cp, k;

		/* ASCII, 8 bytes at a time: almost every byte of a status file */
		while (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i == len)
			break;
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return i;
		if (len - i <= need)
			return i;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return i;
		i += need + 1;
	}
	return len;
}

static size_t line_of(const char *buf, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

/* Checks libxml2 cannot be trusted to make quietly: size, NUL bytes, encoding. */
static int precheck(const char *buf, size_t len, char *err, size_t errlen)
{
	const char *nul;
	size_t bad;

	if (len == 0) {
		err_set(err, errlen, "is empty");
		return -1;
	}
	if (len > INT_MAX) {
		err_set(err, errlen, "larger than %d bytes", INT_MAX);
		return -1;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		err_set(err, errlen, "line %zu: contains a NUL byte", line_of(buf, nul - buf));
		return -1;
	}
	bad = utf8_check((const unsigned char *)buf, len);
	if (bad < len) {
		err_set(err, errlen, "line %zu: invalid UTF-8 (byte 0x%02x)", line_of(buf, bad),
			(unsigned char)buf[bad]);
		return -1;
	}
	return 0;
}

/* Any entity reference (element content or attribute value) anywhere in the tree. Iterative:
 * the depth is capped by libxml2, but there is no reason to recurse at all. */
static bool has_entity_ref(xmlDocPtr doc)
{
	xmlNodePtr n = doc->children;

	while (n != NULL) {
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE ||
		    n->type == XML_ENTITY_DECL || n->type == XML_DTD_NODE)
			return true;
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr a;
			xmlNodePtr c;

			for (a = n->properties; a != NULL; a = a->next)
				for (c = a->children; c != NULL; c = c->next)
					if (c->type == XML_ENTITY_REF_NODE)
						return true;
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNodePtr)doc)
				return false;
		}
		n = n->next;
	}
	return false;
}

/* ---------------------------------------------------------------- parsing */

static xmlParserCtxtPtr new_parser(struct parse_state *ps)
{
	static bool initialised;
	xmlParserCtxtPtr ctxt;

	if (!initialised) {
		xmlInitParser();
		initialised = true;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return NULL;
	ctxt->_private = ps;
	ctxt->sax->serror = on_error; /* takes precedence over the three below, in every version */
	ctxt->sax->warning = NULL;    /* these print to stderr */
	ctxt->sax->error = NULL;
	ctxt->sax->fatalError = NULL;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	ctxt->sax->characters = on_chars;
	ctxt->sax->cdataBlock = on_cdata;
	ctxt->sax->comment = on_comment;
	ctxt->sax->processingInstruction = on_pi;
	ctxt->sax->reference = on_reference;
	return ctxt;
}

/* The tree libxml2 built, if nothing we refuse is in it; else NULL with the reason in err. */
static xmlDocPtr accept_doc(xmlDocPtr doc, const struct parse_state *ps, char *err, size_t errlen)
{
	if (ps->doctype || (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL)))
		err_set(err, errlen, "has a DOCTYPE (entities are not allowed)");
	else if (doc == NULL)
		err_set(err, errlen, "%s",
			ps->have_fatal	 ? ps->fatal
			: ps->have_error ? ps->error
					 : "not well-formed XML");
	else if (ps->entity_ref || has_entity_ref(doc))
		err_set(err, errlen, "has an entity reference (entities are not allowed)");
	else if (xmlDocGetRootElement(doc) == NULL)
		err_set(err, errlen, "has no root element");
	else
		return doc;
	xmlFreeDoc(doc);
	return NULL;
}

static xmlDocPtr parse_doc(const char *buf, size_t len, xmlsafe_filter *filter, char *err,
			   size_t errlen)
{
	struct parse_state ps = {.filter = filter};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if (precheck(buf, len, err, errlen) < 0)
		return NULL;
	if ((ctxt = new_parser(&ps)) == NULL) {
		err_set(err, errlen, "cannot create an XML parser");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, PARSE_OPTIONS);
	xmlFreeParserCtxt(ctxt);
	return accept_doc(doc, &ps, err, errlen);
}

xmlDocPtr xmlsafe_parse_buffer(const char *buf, size_t len, xmlsafe_filter *filter, char *err,
			       size_t errlen)
{
	if (len > XMLSAFE_MAX_SIZE_DEFAULT) {
		err_set(err, errlen, "larger than %u bytes", XMLSAFE_MAX_SIZE_DEFAULT);
		return NULL;
	}
	return parse_doc(buf, len, filter, err, errlen);
}

xmlDocPtr xmlsafe_parse_file(const char *path, size_t max, xmlsafe_filter *filter, char *err,
			     size_t errlen)
{
	xmlDocPtr doc;
	char *buf;
	size_t len;

	if (read_file(path, max ? max : XMLSAFE_MAX_SIZE_DEFAULT, true, &buf, &len, NULL, err,
		      errlen) < 0)
		return NULL;
	doc = parse_doc(buf, len, filter, err, errlen);
	free(buf);
	return doc;
}
