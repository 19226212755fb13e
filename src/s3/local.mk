# s3/: the S3 client — SigV4 signing, requests with retries, XML replies, addresses.
libopsdeck_a_SOURCES += \
	src/s3/s3.c src/s3/s3.h \
	src/s3/sigv4.c src/s3/sigv4.h \
	src/s3/xml.c src/s3/xml.h \
	src/s3/url.c src/s3/url.h
