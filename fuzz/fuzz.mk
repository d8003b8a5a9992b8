# Fuzz targets (configure --enable-fuzzing, clang).
