# codec/: compression behind one interface, one file per codec (gzip, zstd).
libopsdeck_a_SOURCES += \
	src/codec/codec.c src/codec/codec.h src/codec/codec_gzip.c src/codec/codec_zstd.c
