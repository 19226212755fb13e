/* pack.c - varints and figures in a history row (pack.h). */
#include "history/pack.h"

#include <math.h>
#include <string.h>

void pack_varint(struct strbuf *b, uint64_t v)
{
	unsigned char bytes[10];
	size_t n = 0;
	do {
		unsigned char byte = v & 0x7f;
		v >>= 7;
		bytes[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	strbuf_append(b, (const char *)bytes, n);
}

/* Whole numbers within ±2^53 are stored exactly as varints. */
static int pack_is_whole(double value)
{
	return isfinite(value) && value == trunc(value) && fabs(value) <= 9007199254740992.0;
}

void pack_figure(struct strbuf *b, uint64_t label, double value)
{
	if (pack_is_whole(value)) {
		int64_t whole = (int64_t)value;
		pack_varint(b, label << 1);
		/* zigzag: the sign in the low bit, so small negatives stay small */
		uint64_t sign = whole < 0 ? UINT64_MAX : 0;
		pack_varint(b, ((uint64_t)whole << 1) ^ sign);
		return;
	}
	pack_varint(b, label << 1 | 1);
	uint64_t bits;
	memcpy(&bits, &value, sizeof(bits));
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(bits >> (8 * i));
	strbuf_append(b, (const char *)bytes, sizeof(bytes));
}

int pack_done(const struct pack_reader *r)
{
	return r->pos >= r->len;
}

int pack_read_varint(struct pack_reader *r, uint64_t *v)
{
	uint64_t out = 0;
	for (int shift = 0; shift < 70; shift += 7) {
		if (r->pos >= r->len)
			return -1;
		unsigned char byte = r->data[r->pos++];
		out |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*v = out;
			return 0;
		}
	}
	return -1;
}

int pack_read_figure(struct pack_reader *r, uint64_t *label, double *value)
{
	uint64_t head;
	if (pack_read_varint(r, &head) < 0)
		return -1;
	*label = head >> 1;
	if (!(head & 1)) {
		uint64_t zigzag;
		if (pack_read_varint(r, &zigzag) < 0)
			return -1;
		*value = (double)(int64_t)((zigzag >> 1) ^ (~(zigzag & 1) + 1));
		return 0;
	}
	if (r->len - r->pos < 8)
		return -1;
	uint64_t bits = 0;
	for (int i = 0; i < 8; i++)
		bits |= (uint64_t)r->data[r->pos + (size_t)i] << (8 * i);
	r->pos += 8;
	memcpy(value, &bits, sizeof(*value));
	return 0;
}
