/* fit.c - fields fitted into a width by priority (fit.h). */
#include "ui/fit.h"

#include <string.h>

enum fit_form { FIT_DROPPED, FIT_BRIEF, FIT_FULL };

int fit_text_width(const char *text)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *fit_text_of(const struct fit_field *f, enum fit_form form)
{
	return form == FIT_BRIEF ? f->brief : f->full;
}

/* The columns the row takes in `forms`, stretch fields at their whole text. */
static int fit_need(const struct fit_field *fields, int n, const enum fit_form *forms)
{
	int need = 0;
	bool any = false;
	for (int i = 0; i < n; i++) {
		if (forms[i] == FIT_DROPPED)
			continue;
		need +=
		    (any ? fields[i].gap : 0) + fit_text_width(fit_text_of(&fields[i], forms[i]));
		any = true;
	}
	return need;
}

/* The shown field of lowest priority that has a brief form it does not
 * use yet (the later one on a tie), or -1. */
static int fit_lowest_briefable(const struct fit_field *fields, int n, const enum fit_form *forms)
{
	int pick = -1;
	for (int i = 0; i < n; i++)
		if (forms[i] == FIT_FULL && fields[i].brief != NULL &&
		    (pick < 0 || fields[i].priority <= fields[pick].priority))
			pick = i;
	return pick;
}

int fit_fields(const struct fit_field *fields, int n, int width, struct fit_place *out)
{
	enum fit_form forms[FIT_MAX_FIELDS];
	if (n > FIT_MAX_FIELDS)
		n = FIT_MAX_FIELDS;
	for (int i = 0; i < n; i++)
		forms[i] = fields[i].full[0] != '\0' || fields[i].stretch ? FIT_FULL : FIT_DROPPED;
	/* brief forms first, lowest priority first */
	while (fit_need(fields, n, forms) > width) {
		int i = fit_lowest_briefable(fields, n, forms);
		if (i < 0)
			break;
		forms[i] = FIT_BRIEF;
	}
	/* then drop whole fields, lowest priority first, until a stretch field's turn */
	int cut = -1;
	while (fit_need(fields, n, forms) > width) {
		int i = -1;
		for (int k = 0; k < n; k++)
			if (forms[k] != FIT_DROPPED && fields[k].priority < FIT_KEEP &&
			    (i < 0 || fields[k].priority <= fields[i].priority))
				i = k;
		if (i < 0)
			break;
		if (fields[i].stretch) {
			cut = i;
			break;
		}
		forms[i] = FIT_DROPPED;
	}
	/* full forms back where they still fit, highest priority first */
	bool tried[FIT_MAX_FIELDS] = {false};
	for (;;) {
		int best = -1;
		for (int i = 0; i < n; i++)
			if (forms[i] == FIT_BRIEF && !tried[i] &&
			    (best < 0 || fields[i].priority > fields[best].priority))
				best = i;
		if (best < 0)
			break;
		tried[best] = true;
		forms[best] = FIT_FULL;
		if (fit_need(fields, n, forms) > width)
			forms[best] = FIT_BRIEF;
	}
	int need = fit_need(fields, n, forms);
	int spare = width - need; /* negative: what the cut field gives up */
	/* a cut field gives up the columns; else the last stretch field takes
	 * what is left */
	int stretch = cut;
	for (int i = 0; cut < 0 && i < n; i++)
		if (fields[i].stretch && forms[i] != FIT_DROPPED)
			stretch = i;
	int x = 0;
	bool any = false;
	for (int i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		if (forms[i] == FIT_DROPPED)
			continue;
		if (any)
			x += fields[i].gap;
		any = true;
		out[i].shown = true;
		out[i].text = fit_text_of(&fields[i], forms[i]);
		out[i].x = x;
		out[i].width = fit_text_width(out[i].text);
		if (i == stretch) {
			out[i].width += spare;
			if (out[i].width < 0)
				out[i].width = 0;
			out[i].cut = spare < 0;
		}
		x += out[i].width;
	}
	return x;
}
