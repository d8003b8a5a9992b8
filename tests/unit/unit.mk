# Unit tests (Check): written in tests/unit/.
