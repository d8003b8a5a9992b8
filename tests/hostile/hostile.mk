# Hostile-input tests against the installed setuid helper.
