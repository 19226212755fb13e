# s3/: the S3 client — SigV4 signing, requests with retries, XML replies, addresses.
libopsdeck_a_SOURCES += \
	src/s3/s3.h src/s3/request.h \
	src/s3/client.c src/s3/request.c src/s3/failure.c \
	src/s3/object.c src/s3/multipart.c src/s3/list.c \
	src/s3/sigv4.c src/s3/sigv4.h \
	src/s3/xml.c src/s3/xml.h \
	src/s3/url.c src/s3/url.h \
	src/s3/part_size.c
