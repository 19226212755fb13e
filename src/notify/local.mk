# notify/: webhooks told of issues and actions — the event and its body
# (event.h), what was notified (tracker.h), the hourly limit (limit.h) and
# the sender's thread (notifier.h).
libopsdeck_a_SOURCES += \
	src/notify/event.c src/notify/event.h \
	src/notify/tracker.c src/notify/tracker.h \
	src/notify/limit.c src/notify/limit.h \
	src/notify/notifier.c src/notify/notifier.h
