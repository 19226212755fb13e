/* paths.h - where opsdeck keeps its audit log and state when the
 * configuration does not say.
 *
 * In order: under systemd, the unit's LogsDirectory= / StateDirectory=
 * ($LOGS_DIRECTORY, $STATE_DIRECTORY, the first of a colon-separated list);
 * as root, /var/log/opsdeck and /var/lib/opsdeck; for anyone else,
 * $XDG_STATE_HOME/opsdeck (default ~/.local/state/opsdeck), for both.
 * Nothing here touches the file system: the directories are created 0700 by
 * whoever first writes there (job/audit.c).
 */
#ifndef OPSDECK_CONFIG_PATHS_H
#define OPSDECK_CONFIG_PATHS_H

/* The user's home directory: $HOME when absolute, else the password
 * database's; NULL when there is none. Borrowed (environment or getpwuid's
 * static storage): copy it before the next call. */
const char *paths_home(void);

/* The user's configuration directory: $XDG_CONFIG_HOME/opsdeck (when
 * absolute), else ~/.config/opsdeck; NULL without a home. Owned by the
 * caller. */
char *paths_user_config_dir(void);

/* The system's configuration directory, "/etc/opsdeck". */
#define PATHS_SYSTEM_CONFIG_DIR "/etc/opsdeck"

/* The default audit log, e.g. "/var/log/opsdeck/audit.jsonl"; NULL when
 * there is no home directory to put it in. Owned by the caller. */
char *paths_default_audit_log(void);

/* The default state directory, e.g. "/var/lib/opsdeck"; NULL as above.
 * Owned by the caller. */
char *paths_default_state_dir(void);

/* The default history directory, e.g. "/var/lib/opsdeck/history"; NULL as
 * above. Owned by the caller. */
char *paths_default_history_dir(void);

#endif
