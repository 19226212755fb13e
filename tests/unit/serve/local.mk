# serve/: the listen address and the probe families of /metrics.
UNIT_TESTS += tests/unit/serve/test_listen tests/unit/serve/test_metrics
