# diag/: the diagnosis rules — snapshot and thresholds in, issues out. Pure,
# so it sits with the model, below everything that does I/O.
libopsdeck_a_SOURCES += src/diag/diagnose.h src/diag/rules.c
