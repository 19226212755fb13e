# diag/: the diagnosis rules — snapshot and thresholds in, issues out.
libopsdeck_a_SOURCES += src/diag/diagnose.h src/diag/rules.c
