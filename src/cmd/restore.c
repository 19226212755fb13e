/* restore.c - `opsdeck restore ...`: dispatch of the restore verb.
 * `restore files KEY --into DIR` is cmd/restore_files.c's, `restore KEY
 * --into DB` cmd/restore_db.c's. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

int cmd_restore(int argc, char **argv, struct cli_options *opts)
{
	if (argc > 1 && strcmp(argv[1], "files") == 0)
		return cmd_restore_files(argc - 1, argv + 1, opts);
	return cmd_restore_db(argc, argv, opts);
}
