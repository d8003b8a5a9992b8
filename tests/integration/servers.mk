# Integration tests with real servers (python, node, java, UDP, --deep, threads).
