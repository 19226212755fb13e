/* version_file.c - `opsdeck version-file`: the seed's version script (§1.1).
 *
 * Writes {version, buildNumber, commitHash, buildDate} to public/version.json:
 * version from package.json, buildNumber from $BUILD_NUMBER (default "0"),
 * commitHash from `git rev-parse --short HEAD` (run without a shell, in the
 * package's directory), buildDate now in ISO-8601 UTC. Unlike the seed it
 * writes atomically (a temporary file in the same directory, fsync, rename),
 * so the app never serves half a file, and it fails with a clear line
 * outside a git checkout or without package.json.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/clock.h"
#include "util/file.h"
#include "util/spawn.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define PACKAGE_JSON_MAX (1024 * 1024)
#define GIT_TIMEOUT_MS   10000

static void version_file_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck version-file [--package FILE] [--out FILE]\n"
	           "Writes the app's version file (default public/version.json) from\n"
	           "package.json (default ./package.json), $BUILD_NUMBER and git.\n");
}

/* Reads a whole small file; returns NULL with the reason in err. */
static int package_version(const char *path, char **version, char *err, size_t errlen)
{
	char *text = NULL;
	if (file_read_text(path, path, PACKAGE_JSON_MAX, 0, &text, NULL, NULL, err, errlen) != 0)
		return -1;
	int rc = -1;
	json_tokener *tok = json_tokener_new();
	json_object *root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	json_object *v = NULL;
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		snprintf(err, errlen, "%s: not valid JSON", path);
	} else if (!json_object_object_get_ex(root, "version", &v) ||
	           !json_object_is_type(v, json_type_string) || !json_object_get_string_len(v)) {
		snprintf(err, errlen, "%s: no \"version\" string", path);
	} else {
		*version = xstrdup(json_object_get_string(v));
		rc = 0;
	}
	json_object_put(root);
	json_tokener_free(tok);
	free(text);
	return rc;
}

static int git_short_head(const char *dir, char **hash, char *err, size_t errlen)
{
	char *argv[] = {"git", "rev-parse", "--short", "HEAD", NULL};
	struct strbuf out, errout;
	strbuf_init(&out, 4096);
	strbuf_init(&errout, 4096);
	struct spawn_result res;
	char why[256];
	int rc = -1;
	if (spawn_capture(argv, dir, GIT_TIMEOUT_MS, NULL, &out, &errout, &res, why, sizeof(why)) <
	    0) {
		snprintf(err, errlen, "cannot read the commit: %s", why);
	} else if (res.exit_status != 0) {
		char first[256];
		text_copy(first, strbuf_str(&errout), sizeof(first));
		first[strcspn(first, "\n")] = '\0';
		snprintf(err, errlen, "%s is not in a git checkout with a commit (git: %s)", dir,
		         first[0] ? first : "failed");
	} else {
		char *h = text_trim(strbuf_take(&out));
		if (!h[0]) {
			snprintf(err, errlen, "git rev-parse printed no commit");
			free(h);
		} else {
			*hash = h;
			rc = 0;
		}
	}
	strbuf_free(&out);
	strbuf_free(&errout);
	return rc;
}

/* The document as JSON.stringify(info, null, 2) writes it. */
static char *version_document(const char *version, const char *build, const char *commit,
                              const char *date)
{
	const char *keys[] = {"version", "buildNumber", "commitHash", "buildDate"};
	const char *values[] = {version, build, commit, date};
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts(&b, "{\n");
	for (size_t i = 0; i < 4; i++) {
		json_object *s = json_object_new_string(values[i]);
		strbuf_printf(&b, "  \"%s\": %s%s\n", keys[i],
		              json_object_to_json_string_ext(s, JSON_C_TO_STRING_NOSLASHESCAPE),
		              i < 3 ? "," : "");
		json_object_put(s);
	}
	strbuf_puts(&b, "}\n");
	return strbuf_take(&b);
}

/* Replaces `path` with `data` atomically: readers see the old file or the
 * new one, never a mix, even if the machine crashes. */
static int write_atomically(const char *path, const char *data, char *err, size_t errlen)
{
	char *dir_copy = xstrdup(path);
	const char *dir = dirname(dir_copy);
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int rc = -1, fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		goto done;
	}
	if (file_write_all(fd, data, strlen(data)) < 0 || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto done;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		goto done;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* best effort: the rename itself has happened */
		close(dfd);
	}
	rc = 0;
done:
	free(tmp);
	free(dir_copy);
	return rc;
}

enum { OPT_PACKAGE = 2000, OPT_OUT };

struct version_file_options {
	const char *package;
	const char *out;
};

static int version_file_option(int opt, const char *arg, void *ctx)
{
	struct version_file_options *vo = ctx;
	if (opt == OPT_PACKAGE)
		vo->package = arg;
	else if (opt == OPT_OUT)
		vo->out = arg;
	else
		return -1;
	return 0;
}

int cmd_version_file(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"package", required_argument, NULL, OPT_PACKAGE},
	    {"out", required_argument, NULL, OPT_OUT},
	    {NULL, 0, NULL, 0},
	};
	struct version_file_options vo = {"package.json", "public/version.json"};
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, version_file_option, &vo,
	                       version_file_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	const char *package = vo.package, *out = vo.out;

	char err[1024];
	char *version = NULL, *commit = NULL, *doc = NULL;
	char *package_copy = xstrdup(package);
	int rc = 1;
	if (package_version(package, &version, err, sizeof(err)) < 0)
		goto fail;
	if (git_short_head(dirname(package_copy), &commit, err, sizeof(err)) < 0)
		goto fail;
	const char *build = getenv("BUILD_NUMBER");
	char date[32];
	clock_format_iso8601(date, sizeof(date), clock_wall_ms());
	doc = version_document(version, build && *build ? build : "0", commit, date);
	if (write_atomically(out, doc, err, sizeof(err)) < 0)
		goto fail;
	printf("Version file updated: %s\n%s", out, doc);
	rc = fflush(stdout) == 0 ? 0 : 1;
	goto done;
fail:
	fprintf(stderr, "opsdeck: version-file: %s\n", err);
done:
	free(version);
	free(commit);
	free(doc);
	free(package_copy);
	return rc;
}
