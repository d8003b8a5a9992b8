# Benchmarks: 'make bench'.  Not tests.
