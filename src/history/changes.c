/* changes.c - the recorder's lines for what changed (changes.h). */
#include "history/changes.h"

#include <string.h>

static const struct history_check *find_check(const struct history_record *r, const char *key)
{
	for (int i = 0; r && i < r->check_count; i++)
		if (strcmp(r->checks[i].key, key) == 0)
			return &r->checks[i];
	return NULL;
}

static const struct history_issue *find_issue(const struct history_record *r, const char *id)
{
	for (int i = 0; r && i < r->issue_count; i++)
		if (strcmp(r->issues[i].id, id) == 0)
			return &r->issues[i];
	return NULL;
}

static int check_changes(const struct history_record *prev, const struct history_record *cur,
                         struct strbuf *out)
{
	int lines = 0;
	for (int i = 0; i < cur->check_count; i++) {
		const struct history_check *c = &cur->checks[i];
		const struct history_check *before = find_check(prev, c->key);
		if (before ? before->state == c->state
		           : c->state == CHECK_OK || c->state == CHECK_NOT_CONFIGURED)
			continue;
		strbuf_printf(out, "check %s: %s -> %s\n", c->key,
		              before ? check_state_name(before->state) : "pending",
		              check_state_name(c->state));
		lines++;
	}
	return lines;
}

static int issue_changes(const struct history_record *prev, const struct history_record *cur,
                         struct strbuf *out)
{
	int lines = 0;
	for (int i = 0; i < cur->issue_count; i++) {
		const struct history_issue *issue = &cur->issues[i];
		const struct history_issue *before = find_issue(prev, issue->id);
		if (!before)
			strbuf_printf(out, "issue opened: %s (%s): %s\n", issue->id,
			              issue_severity_name(issue->severity), issue->message);
		else if (before->severity != issue->severity)
			strbuf_printf(out, "issue %s: %s -> %s\n", issue->id,
			              issue_severity_name(before->severity),
			              issue_severity_name(issue->severity));
		else
			continue;
		lines++;
	}
	for (int i = 0; prev && i < prev->issue_count; i++) {
		if (find_issue(cur, prev->issues[i].id))
			continue;
		strbuf_printf(out, "issue cleared: %s\n", prev->issues[i].id);
		lines++;
	}
	return lines;
}

int history_changes(const struct history_record *prev, const struct history_record *cur,
                    struct strbuf *out)
{
	int lines = check_changes(prev, cur, out) + issue_changes(prev, cur, out);
	if (prev && cur->version[0] && prev->version[0] &&
	    strcmp(prev->version, cur->version) != 0) {
		strbuf_printf(out, "version: %s -> %s\n", prev->version, cur->version);
		lines++;
	}
	return lines;
}
