/* restore.c - `opsdeck restore ...`: dispatch of the restore verb.
 * `restore files KEY --into DIR` is cmd/restore_files.c's. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

int cmd_restore(int argc, char **argv, struct cli_options *opts)
{
	if (argc > 1 && strcmp(argv[1], "files") == 0)
		return cmd_restore_files(argc - 1, argv + 1, opts);
	fprintf(stderr, "usage: opsdeck restore files KEY --into DIR [--target URL] [--overwrite] "
	                "[--dry-run] [--yes]\n");
	return argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
	           ? 0
	           : EXIT_USAGE;
}
