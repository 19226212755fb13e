# ------------------------------------------------------------ install
# What makes opsdeck a server tool: systemd units, logrotate for the audit
# log, bash completion. Units and completion name installed paths, so they
# are made from .in files here (not by configure, whose ${prefix} would be
# left unexpanded).
systemdsystemunit_DATA = dist/systemd/opsdeck-backup.service dist/systemd/opsdeck-backup.timer \
	dist/systemd/opsdeck-record.service dist/systemd/opsdeck-exporter.service
bashcompletion_DATA = dist/bash-completion/opsdeck
logrotatedir = $(sysconfdir)/logrotate.d
CLEANFILES = dist/systemd/opsdeck-backup.service dist/systemd/opsdeck-record.service \
	dist/systemd/opsdeck-exporter.service dist/bash-completion/opsdeck
EXTRA_DIST += dist/systemd/opsdeck-backup.service.in dist/systemd/opsdeck-backup.timer \
	dist/systemd/opsdeck-record.service.in dist/systemd/opsdeck-exporter.service.in \
	dist/bash-completion/opsdeck.in dist/logrotate/opsdeck debian
# Substitutes installation directories into FILE.in.
subst_dirs = $(MKDIR_P) $(@D) && sed \
	-e 's|@bindir[@]|$(bindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' -e 's|@bashcompdir[@]|$(bashcompletiondir)|g' \
	$(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
dist/systemd/opsdeck-backup.service: $(srcdir)/dist/systemd/opsdeck-backup.service.in Makefile
	$(AM_V_GEN)$(subst_dirs)
dist/systemd/opsdeck-record.service: $(srcdir)/dist/systemd/opsdeck-record.service.in Makefile
	$(AM_V_GEN)$(subst_dirs)
dist/systemd/opsdeck-exporter.service: $(srcdir)/dist/systemd/opsdeck-exporter.service.in Makefile
	$(AM_V_GEN)$(subst_dirs)
dist/bash-completion/opsdeck: $(srcdir)/dist/bash-completion/opsdeck.in Makefile
	$(AM_V_GEN)$(subst_dirs)
# The state directories are made by opsdeck itself (0700) or by systemd
# (LogsDirectory=, StateDirectory=); make install does not need root.
# The logrotate file is configuration an admin may edit: an installed file
# that differs from ours is kept, and ours goes beside it as opsdeck.dist.
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(logrotatedir)'
	@if test -f '$(DESTDIR)$(logrotatedir)/opsdeck' && \
	    ! cmp -s '$(srcdir)/dist/logrotate/opsdeck' '$(DESTDIR)$(logrotatedir)/opsdeck'; then \
	  echo "keeping the edited $(DESTDIR)$(logrotatedir)/opsdeck; ours is opsdeck.dist beside it"; \
	  $(INSTALL_DATA) '$(srcdir)/dist/logrotate/opsdeck' '$(DESTDIR)$(logrotatedir)/opsdeck.dist'; \
	else \
	  $(INSTALL_DATA) '$(srcdir)/dist/logrotate/opsdeck' '$(DESTDIR)$(logrotatedir)/opsdeck'; \
	fi
uninstall-local:
	rm -f '$(DESTDIR)$(logrotatedir)/opsdeck' '$(DESTDIR)$(logrotatedir)/opsdeck.dist'
