/* codec.c - the codec table and the stream around a codec's state (see
 * codec.h). */
#include "codec/codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct codec_ops *const CODECS[] = {
    &codec_gzip,
    &codec_zstd,
};

struct codec {
	const struct codec_ops *ops;
	enum codec_direction direction;
	void *state;
	unsigned char *buf; /* CODEC_CHUNK bytes of output */
	codec_out_fn *out;
	void *ctx;
};

const struct codec_ops *codec_find(const char *name)
{
	for (size_t i = 0; i < sizeof(CODECS) / sizeof(CODECS[0]); i++)
		if (strcmp(CODECS[i]->name, name) == 0)
			return CODECS[i];
	return NULL;
}

struct codec *codec_new(const char *name, enum codec_direction direction, int level,
                        codec_out_fn *out, void *ctx, char *err, size_t errlen)
{
	const struct codec_ops *ops = codec_find(name);
	if (!ops) {
		snprintf(err, errlen, "unknown compression '%s'", name);
		return NULL;
	}
	struct codec *c = calloc(1, sizeof(*c));
	if (!c || !(c->buf = malloc(CODEC_CHUNK))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->ops = ops;
	c->direction = direction;
	c->out = out;
	c->ctx = ctx;
	c->state = ops->new (direction, level, err, errlen);
	if (!c->state)
		goto fail;
	return c;
fail:
	if (c)
		free(c->buf);
	free(c);
	return NULL;
}

int codec_feed(struct codec *c, const void *data, size_t len, char *err, size_t errlen)
{
	return c->ops->feed(c->state, data, len, false, c->buf, c->out, c->ctx, err, errlen);
}

int codec_finish(struct codec *c, char *err, size_t errlen)
{
	if (c->direction == CODEC_DECODE)
		return c->ops->finished(c->state, err, errlen);
	return c->ops->feed(c->state, NULL, 0, true, c->buf, c->out, c->ctx, err, errlen);
}

void codec_free(struct codec *c)
{
	if (!c)
		return;
	if (c->state)
		c->ops->free(c->state);
	free(c->buf);
	free(c);
}

int codec_threads(const struct codec_ops *ops)
{
	return ops->threads ? ops->threads() : 1;
}
