/* cli_term.c - sanitised lines, progress and confirmation on a terminal
 * (see cli_term.h). */
#include "cmd/cli_term.h"

#include <stdarg.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"

#define CLEAR_LINE "\r\033[K"

void cli_print_clean(FILE *f, const char *prefix, const char *text)
{
	char clean[2048];
	sanitize_text(clean, sizeof(clean), text);
	fprintf(f, "%s%s\n", prefix, clean);
}

bool cli_read_answer(char *answer, size_t size)
{
	fflush(stdout);
	if (!fgets(answer, (int)size, stdin))
		return false;
	text_trim(answer);
	return true;
}

void cli_progress_init(struct cli_progress *p, const char *what)
{
	p->what = what;
	p->tty = isatty(STDERR_FILENO) == 1;
	p->t0_ms = p->last_ms = clock_monotonic_ms();
	p->drew = false;
}

bool cli_progress_due(struct cli_progress *p)
{
	int64_t now = clock_monotonic_ms();
	if (now - p->last_ms < (p->tty ? CLI_PROGRESS_TTY_MS : CLI_PROGRESS_LOG_MS))
		return false;
	p->last_ms = now;
	return true;
}

void cli_progress_show(struct cli_progress *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%sopsdeck: %s: %s%s", p->tty ? CLEAR_LINE : "", p->what, line,
	        p->tty ? "" : "\n");
	p->drew = p->tty;
}

void cli_progress_log(struct cli_progress *p, const char *line)
{
	char clean[1024];
	sanitize_text(clean, sizeof(clean), line);
	fprintf(stderr, "%sopsdeck: %s: %s\n", p->tty ? CLEAR_LINE : "", p->what, clean);
	p->drew = false;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->drew)
		fprintf(stderr, CLEAR_LINE);
	p->drew = false;
}
