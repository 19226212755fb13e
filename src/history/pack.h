/* pack.h - the compact encoding of a poll's figures, check states and
 * issues inside one history row (doc/history.md, "Packed columns").
 *
 * A packed column is a sequence of unsigned LEB128 varints. Figures are
 * pairs: varint(label << 1 | kind), then for kind 0 a zigzag varint (a whole
 * number), for kind 1 the 8 bytes of an IEEE 754 double, little-endian. So a
 * connection count costs 2-3 bytes and a ratio 9. Pure: no I/O.
 */
#ifndef OPSDECK_HISTORY_PACK_H
#define OPSDECK_HISTORY_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Appends one varint / one figure to b. */
void pack_varint(struct strbuf *b, uint64_t v);
void pack_figure(struct strbuf *b, uint64_t label, double value);

/* A reader over a packed column: data[0..len), at `pos`. */
struct pack_reader {
	const unsigned char *data;
	size_t len;
	size_t pos;
};

/* True when the reader has read everything. */
int pack_done(const struct pack_reader *r);

/* Reads one varint / one figure. Returns 0, or -1 when the column ends
 * inside it or a varint runs past 10 bytes (a damaged column). */
int pack_read_varint(struct pack_reader *r, uint64_t *v);
int pack_read_figure(struct pack_reader *r, uint64_t *label, double *value);

#endif
